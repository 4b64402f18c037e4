/**
 * The deployment controller's round: for every Deployment, the ReplicaSet of its current template is created or
 * scaled and the old ones shrunk as the rollout planner says (RollingUpdate within maxSurge/maxUnavailable, or
 * Recreate), old ReplicaSets past the revision history limit are deleted, and the status is recorded.
 */
import type { Pod } from "../../api/pod.js";
import type { ViewEntry } from "../../projections/clusterView.js";
import type { OutgoingCommand } from "../../nats/commandClient.js";
import { sameValue } from "../../actors/decisions.js";
import type { ControllerContext } from "../context.js";
import { isActive } from "../pods.js";
import type { ReplicaSet } from "../replicaSet/kind.js";
import { labelSelectorMatches } from "../../api/labelSelector.js";
import { beyondHistory, currentReplicaSet, maxRevision, newReplicaSetManifest, ownedBy, revisionOf, REVISION, type Deployment } from "./replicaSets.js";
import { planRollout, type RolloutReplicaSet } from "./rollout.js";
import { deploymentStatus } from "./status.js";

const asRollout = (rs: ReplicaSet): RolloutReplicaSet => ({
  name: rs.metadata.name, replicas: rs.spec.replicas, availableReplicas: rs.status.availableReplicas ?? 0, creationTimestamp: rs.metadata.creationTimestamp,
});

/** Reconciles every Deployment in the view. One instance per leadership term. */
export class DeploymentReconciler {
  constructor(private readonly ctx: ControllerContext, private readonly wallTime: () => Date = () => new Date()) {}

  /** One round over all Deployments. */
  async reconcile(): Promise<void> {
    // One read of a namespace's ReplicaSets per round, however many Deployments it has.
    const sets = new Map<string, ReplicaSet[]>();
    const setsIn = (ns: string) => sets.get(ns) ?? sets.set(ns, this.ctx.view.list<ReplicaSet>("replicasets", ns).map((e) => e.object)).get(ns) ?? [];
    for (const entry of this.ctx.view.list<Deployment>("deployments")) await this.syncOne(entry, setsIn(entry.namespace));
  }

  private async syncOne(entry: ViewEntry<Deployment>, sets: readonly ReplicaSet[]): Promise<void> {
    const d = entry.object;
    const owned = ownedBy(d, sets);
    const newRS = currentReplicaSet(d, owned);
    const old = owned.filter((rs) => rs !== newRS);
    if (!d.spec.paused) {
      const next = maxRevision(old) + 1;
      if (newRS && revisionOf(newRS) < next) await this.renumber(entry, newRS, next);
      await this.roll(entry, newRS, old, next);
      for (const rs of beyondHistory(old, d.spec.revisionHistoryLimit)) await this.send(entry, "replicasets", rs.metadata.name, { type: "DeleteReplicaSet", data: {} });
    }
    const status = deploymentStatus(d, newRS, owned, this.wallTime().toISOString().replace(/\.\d{3}Z$/, "Z"));
    if (!sameValue(status, d.status)) {
      await this.send(entry, "deployments", entry.name, { type: "RecordDeploymentStatus", data: status });
    }
  }

  private async roll(entry: ViewEntry<Deployment>, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], revision: number): Promise<void> {
    const d = entry.object;
    // Only Recreate waits on the old pods: count them only then.
    const oldPodsActive = d.spec.strategy.type !== "Recreate" ? 0 : this.ctx.view.list<Pod>("pods", entry.namespace)
      .filter((p) => isActive(p.object) && old.some((rs) => labelSelectorMatches(rs.spec.selector, p.object.metadata.labels))).length;
    const actions = planRollout({ replicas: d.spec.replicas, strategy: d.spec.strategy, newRS: newRS && asRollout(newRS), oldRSs: old.map(asRollout), oldPodsActive });
    for (const a of actions) {
      if (a.type === "CreateNewReplicaSet") {
        const { name, manifest } = newReplicaSetManifest(d, a.replicas, revision);
        await this.send(entry, "replicasets", name, { type: "CreateReplicaSet", data: manifest, id: `deploy:${d.metadata.uid}:create:${name}` });
      } else {
        await this.send(entry, "replicasets", a.name, { type: "ScaleReplicaSet", data: { replicas: a.replicas } });
      }
    }
  }

  private async renumber(entry: ViewEntry<Deployment>, rs: ReplicaSet, revision: number): Promise<void> {
    const metadata = { ...rs.metadata, annotations: { ...rs.metadata.annotations, [REVISION]: String(revision) } };
    const { uid: _u, creationTimestamp: _c, resourceVersion: _r, generation: _g, deletionTimestamp: _d, ...clientMeta } = metadata;
    await this.send(entry, "replicasets", rs.metadata.name, { type: "UpdateReplicaSet", data: { metadata: clientMeta, spec: rs.spec } });
  }

  private async send<R extends "replicasets" | "deployments">(entry: ViewEntry<Deployment>, resource: R, name: string, command: OutgoingCommand<R>): Promise<void> {
    const type = command.type;
    const reply = await this.ctx.sender.send({ resource, namespace: entry.namespace, name }, command);
    if (!reply.ok && reply.status.reason !== "AlreadyExists") {
      this.ctx.logger.warn({ deployment: `${entry.namespace}/${entry.name}`, target: name, status: reply.status }, `${type} failed`);
    }
  }
}
