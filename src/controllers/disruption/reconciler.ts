/**
 * The disruption controller, budget by budget on a work queue: each PodDisruptionBudget's status (decide.ts) is
 * written whenever its pods, their controllers' replicas or the budget change, and again when an evicted pod's wait
 * runs out. The write names the budget's version: an eviction admitted meanwhile (which takes a disruption) makes it
 * a Conflict, and the budget is looked at again, so no disruption is handed out twice. A change in a namespace
 * without budgets concerns nothing here (the scale-up's path: one map lookup).
 */
import type { PodDisruptionBudget } from "../../api/podDisruptionBudget.js";
import type { Pod } from "../../api/pod.js";
import type { Resource } from "../../api/kinds.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import type { ViewChange } from "../../projections/clusterView.js";
import { sameValue } from "../../actors/decisions.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import type { KeyedController } from "../keyedLoop.js";
import { budgetSelects, budgetStatus, type ExpectedScale, type PodController } from "./decide.js";

/** The kinds whose replicas a budget counts its expected pods from, by Kind. */
const SCALED: Record<string, Resource> = {
  ReplicationController: "replicationcontrollers", ReplicaSet: "replicasets", StatefulSet: "statefulsets", Deployment: "deployments",
};
const SCALED_RESOURCES = new Set<string>(Object.values(SCALED));

type Scaled = { metadata: { uid: string; ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean | undefined }[] | undefined }; spec?: { replicas?: number } };

/** One controller per leadership term (key: `<namespace>/<budget name>`). */
export class DisruptionReconciler implements KeyedController {
  private readonly deadlines: Deadlines;
  /** The budgets of each namespace that has any, by name: a change elsewhere concerns none. */
  private readonly budgets = new Map<string, Set<string>>();

  constructor(private readonly ctx: ControllerContext, private readonly wallTime: () => number = Date.now) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** Budgets whose evicted pods' wait ran out. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  keysOf(change: ViewChange): string[] {
    if (change.resource === "poddisruptionbudgets") {
      this.file(change.namespace, change.name, change.entry !== null);
      return [`${change.namespace}/${change.name}`];
    }
    if (change.resource !== "pods" && !SCALED_RESOURCES.has(change.resource)) return [];
    const names = this.budgets.get(change.namespace);
    // A pod's labels may have changed either way, and a controller's replicas count for any of them: every budget
    // of the namespace is looked at (a namespace has few).
    return names ? [...names].map((n) => `${change.namespace}/${n}`) : [];
  }

  allKeys(): string[] {
    return this.ctx.view.list<PodDisruptionBudget>("poddisruptionbudgets").map((e) => {
      this.file(e.namespace, e.name, true);
      return `${e.namespace}/${e.name}`;
    });
  }

  /** Writes the budget's status; a refused write (a Conflict with an eviction) throws, and the key is retried. */
  async sync(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<PodDisruptionBudget>("poddisruptionbudgets", namespace, name);
    if (!entry) return this.deadlines.delete(key);
    const pdb = entry.object;
    const pods = this.ctx.view.list<Pod>("pods", namespace).map((e) => e.object).filter((p) => budgetSelects(pdb, p.metadata.labels));
    const nowMs = this.wallTime();
    const decision = budgetStatus(pdb, pods, { scaleOf: (c) => this.scaleOf(namespace, c), nowMs, now: rfc3339Seconds(new Date(nowMs)) });
    this.deadlines.setWallClock(key, decision.recheckAt, nowMs);
    if (sameValue(pdb.status ?? {}, decision.status)) return;
    const reply = await this.ctx.sender.send({ resource: "poddisruptionbudgets", namespace, name }, {
      type: "RecordPodDisruptionBudgetStatus", expectedVersion: entry.version, data: decision.status,
    });
    if (!reply.ok && reply.status.reason !== "NotFound") throw new Error(`RecordPodDisruptionBudgetStatus ${key}: ${reply.status.message}`);
  }

  private file(namespace: string, name: string, present: boolean): void {
    const names = this.budgets.get(namespace) ?? new Set<string>();
    if (present) names.add(name);
    else names.delete(name);
    if (names.size > 0) this.budgets.set(namespace, names);
    else this.budgets.delete(namespace);
  }

  /** A pod controller's replicas: a ReplicaSet a Deployment owns counts as that Deployment. */
  private scaleOf(namespace: string, c: PodController): ExpectedScale | undefined {
    const resource = SCALED[c.kind];
    const found = resource ? this.ctx.view.get<Scaled>(resource, namespace, c.name)?.object : undefined;
    if (!found || (c.uid !== undefined && c.uid !== found.metadata.uid)) return undefined;
    const owner = c.kind === "ReplicaSet" ? found.metadata.ownerReferences?.find((o) => o.controller && o.kind === "Deployment") : undefined;
    if (owner) return this.scaleOf(namespace, owner);
    return { key: found.metadata.uid, replicas: found.spec?.replicas ?? 1 };
  }
}
