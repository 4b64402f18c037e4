/**
 * The disruption controller, budget by budget on a work queue: each PodDisruptionBudget's status (decide.ts) is
 * written whenever one of its pods (by its labels now or at its last change), their controllers' replicas or the
 * budget change, and again when an evicted pod's wait runs out. The write names the budget's version: an eviction
 * admitted meanwhile (which takes a disruption) makes it a Conflict, and the budget is looked at again, so no
 * disruption is handed out twice. A change in a namespace without budgets concerns nothing here (the scale-up's
 * path: one map lookup).
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
  private readonly budgets = new Map<string, Map<string, PodDisruptionBudget>>();
  /** The budgets (keys) each pod of such a namespace was selected by at its last change, when any. */
  private readonly selectedBy = new Map<string, string[]>();
  /** The budget version each status write of this term made: the view is behind until it shows it. */
  private readonly written = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext, private readonly wallTime: () => number = Date.now) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** Budgets whose evicted pods' wait ran out. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  keysOf(change: ViewChange): string[] {
    if (change.resource === "poddisruptionbudgets") {
      this.file(change.namespace, change.name, (change.entry?.object as PodDisruptionBudget | undefined) ?? null);
      return [`${change.namespace}/${change.name}`];
    }
    if (change.resource === "pods" && !change.entry && !this.budgets.has(change.namespace)) this.selectedBy.delete(`${change.namespace}/${change.name}`);
    const budgets = this.budgets.get(change.namespace);
    if (!budgets) return [];
    // A controller's replicas may count for any budget of the namespace (a namespace has few).
    if (SCALED_RESOURCES.has(change.resource)) return [...budgets.keys()].map((n) => `${change.namespace}/${n}`);
    if (change.resource !== "pods") return [];
    const podKey = `${change.namespace}/${change.name}`;
    const labels = (change.entry?.object as Pod | undefined)?.metadata.labels;
    const now = change.entry ? [...budgets].filter(([, b]) => budgetSelects(b, labels)).map(([n]) => `${change.namespace}/${n}`) : [];
    const before = this.selectedBy.get(podKey) ?? [];
    if (now.length > 0) this.selectedBy.set(podKey, now);
    else this.selectedBy.delete(podKey);
    return [...new Set([...before, ...now])];
  }

  allKeys(): string[] {
    return this.ctx.view.list<PodDisruptionBudget>("poddisruptionbudgets").map((e) => {
      this.file(e.namespace, e.name, e.object);
      return `${e.namespace}/${e.name}`;
    });
  }

  /** Writes the budget's status; a refused write (a Conflict with an eviction) throws, and the key is retried. */
  async sync(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<PodDisruptionBudget>("poddisruptionbudgets", namespace, name);
    if (!entry) {
      this.written.delete(key);
      return this.deadlines.delete(key);
    }
    // Its own last write not yet in the view: that change brings the key back.
    if (entry.version < (this.written.get(key) ?? 0)) return;
    const pdb = entry.object;
    const pods = this.ctx.view.list<Pod>("pods", namespace).map((e) => e.object).filter((p) => budgetSelects(pdb, p.metadata.labels));
    for (const p of pods) this.remember(`${namespace}/${p.metadata.name}`, key);
    const nowMs = this.wallTime();
    const decision = budgetStatus(pdb, pods, { scaleOf: (c) => this.scaleOf(namespace, c), nowMs, now: rfc3339Seconds(new Date(nowMs)) });
    this.deadlines.setWallClock(key, decision.recheckAt, nowMs);
    if (sameValue(pdb.status ?? {}, decision.status)) return;
    const reply = await this.ctx.sender.send({ resource: "poddisruptionbudgets", namespace, name }, {
      type: "RecordPodDisruptionBudgetStatus", expectedVersion: entry.version, data: decision.status,
    });
    if (reply.ok) this.written.set(key, reply.version);
    else if (reply.status.reason !== "NotFound") throw new Error(`RecordPodDisruptionBudgetStatus ${key}: ${reply.status.message}`);
  }

  private file(namespace: string, name: string, budget: PodDisruptionBudget | null): void {
    const budgets = this.budgets.get(namespace) ?? new Map<string, PodDisruptionBudget>();
    if (budget) budgets.set(name, budget);
    else budgets.delete(name);
    if (budgets.size > 0) this.budgets.set(namespace, budgets);
    else {
      this.budgets.delete(namespace);
      // No budget left there: none of its pods concerns one.
      for (const key of this.selectedBy.keys()) if (key.startsWith(`${namespace}/`)) this.selectedBy.delete(key);
    }
  }

  /** Files that the pod is selected by the budget (a budget made after the pod, whose change the pod never saw). */
  private remember(podKey: string, budgetKey: string): void {
    const keys = this.selectedBy.get(podKey) ?? [];
    if (!keys.includes(budgetKey)) this.selectedBy.set(podKey, [...keys, budgetKey]);
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
