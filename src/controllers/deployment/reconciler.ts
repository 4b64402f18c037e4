/**
 * The deployment controller, Deployment by Deployment: the ReplicaSet of its current template is created or
 * scaled and the old ones shrunk as the rollout planner says (RollingUpdate within maxSurge/maxUnavailable, or
 * Recreate), old ReplicaSets past the revision history limit are deleted, and the status is recorded; a rollout
 * that makes no progress is looked at again when its progress deadline passes (status.ts).
 */
import type { Pod } from "../../api/pod.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import type { OutgoingCommand } from "../../nats/commandClient.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import { namespaceTerminating } from "../namespace/reconciler.js";
import { sameValue } from "../../actors/decisions.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import { sendCreate } from "../createAgain.js";
import type { KeyedController } from "../keyedLoop.js";
import { isActive } from "../pods.js";
import type { ReplicaSet } from "../replicaSet/kind.js";
import { labelSelectorMatches } from "../../api/labelSelector.js";
import { clientMetaOf } from "../../api/objectMeta.js";
import { beyondHistory, copiedAnnotations, currentReplicaSet, maxRevision, newReplicaSetManifest, ownedBy, revisionOf, REVISION, type Deployment } from "./replicaSets.js";
import { planRollout, type RolloutReplicaSet } from "./rollout.js";
import { deploymentStatus, progressDeadlineAt } from "./status.js";

/** Whether the ReplicaSet carries `annotations` as they are. Pure. */
const annotated = (rs: ReplicaSet, annotations: Record<string, string>) => Object.entries(annotations).every(([k, v]) => rs.metadata.annotations?.[k] === v);

const asRollout = (rs: ReplicaSet): RolloutReplicaSet => ({
  name: rs.metadata.name, replicas: rs.spec.replicas, availableReplicas: rs.status.availableReplicas ?? 0, creationTimestamp: rs.metadata.creationTimestamp,
});

/** Reconciles Deployments one by one (key `<namespace>/<name>`) on a work queue fed by the view. One instance per leadership term. */
export class DeploymentReconciler implements KeyedController {
  /** Recreate rollouts whose last sync waited for old pods to go: a pod that stops or goes concerns them. */
  private readonly waitingOnPods = new Set<string>();
  /** When each rollout that makes no progress times out. */
  private readonly deadlines: Deadlines;

  constructor(private readonly ctx: ControllerContext, private readonly wallTime: () => Date = () => new Date()) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** The rollouts whose progress deadline came. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  /**
   * The Deployment's own change; a ReplicaSet's, its controlling Deployment's (every Deployment of the namespace when
   * it is gone, as its owner is no longer known); a pod's that stops or goes, the Recreate rollouts waiting on pods.
   */
  keysOf(change: ViewChange): string[] {
    const key = (ns: string, name: string) => `${ns}/${name}`;
    if (change.resource === "deployments") return [key(change.namespace, change.name)];
    if (change.resource === "replicasets") {
      if (!change.entry) return this.ctx.view.list("deployments", change.namespace).map((d) => key(d.namespace, d.name));
      const owner = (change.entry.object as unknown as ReplicaSet).metadata.ownerReferences?.find((o) => o.controller && o.kind === "Deployment");
      return owner ? [key(change.namespace, owner.name)] : [];
    }
    if (change.resource === "pods" && this.waitingOnPods.size > 0 && !(change.entry && isActive(change.entry.object as unknown as Pod))) {
      return [...this.waitingOnPods].filter((k) => k.startsWith(`${change.namespace}/`));
    }
    return [];
  }

  allKeys(): string[] {
    return this.ctx.view.list("deployments").map((d) => `${d.namespace}/${d.name}`);
  }

  /** Every key at once (a whole pass, as a resync makes it). */
  async reconcile(): Promise<void> {
    for (const key of this.allKeys()) await this.sync(key);
  }

  /** Rolls one Deployment a step and records its status. */
  async sync(key: string): Promise<void> {
    const [namespace, name] = key.split("/") as [string, string];
    const entry = this.ctx.view.get<Deployment>("deployments", namespace, name);
    this.waitingOnPods.delete(key);
    if (!entry) return this.deadlines.delete(key);
    const d = entry.object;
    const owned = ownedBy(d, this.ctx.view.list<ReplicaSet>("replicasets", namespace).map((e) => e.object));
    const newRS = currentReplicaSet(d, owned);
    const old = owned.filter((rs) => rs !== newRS);
    // In a namespace being deleted nothing new can be made: its teardown takes the ReplicaSets, not made again. A
    // Deployment being deleted (its finalizers hold it) only has its status kept, as Kubernetes' controller does.
    if (!namespaceTerminating(this.ctx.view, namespace) && d.metadata.deletionTimestamp === undefined) {
      const next = maxRevision(old) + 1;
      // A paused Deployment's revisions are kept too (its current ReplicaSet's, when there is one), as Kubernetes' are.
      if (newRS) {
        const revision = Math.max(next, revisionOf(newRS));
        if (revisionOf(newRS) < revision || !annotated(newRS, copiedAnnotations(d))) await this.annotate(entry, newRS, { ...copiedAnnotations(d), [REVISION]: String(revision) });
        // The Deployment carries its current ReplicaSet's revision too (`kubectl describe deployment` shows it).
        await this.markRevision(entry, String(revision));
      }
      if (!d.spec.paused) await this.rollAndTrim(entry, newRS, old, next);
    }
    const wall = this.wallTime();
    const status = deploymentStatus(d, newRS, owned, rfc3339Seconds(wall));
    if (!sameValue(status, d.status)) {
      await this.send(entry, "deployments", entry.name, { type: "RecordDeploymentStatus", data: status });
    }
    // A second past it: the condition's times are whole seconds, and the deadline must have passed when it is looked at.
    const due = progressDeadlineAt({ ...d, status });
    this.deadlines.setWallClock(key, due === undefined ? undefined : due + 1_000, wall.getTime());
  }

  /** A rollout's step, then the old ReplicaSets past the history limit deleted. */
  private async rollAndTrim(entry: ViewEntry<Deployment>, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], revision: number): Promise<void> {
    await this.roll(entry, newRS, old, revision);
    for (const rs of beyondHistory(old, entry.object.spec.revisionHistoryLimit)) {
      // One its finalizers hold is on its way already.
      if (rs.metadata.deletionTimestamp === undefined) await this.send(entry, "replicasets", rs.metadata.name, { type: "DeleteReplicaSet", data: {} });
    }
  }

  private async roll(entry: ViewEntry<Deployment>, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], revision: number): Promise<void> {
    const d = entry.object;
    // Only Recreate waits on the old pods: count them only then.
    const oldPodsActive = d.spec.strategy.type !== "Recreate" ? 0 : this.ctx.view.list<Pod>("pods", entry.namespace)
      .filter((p) => isActive(p.object) && old.some((rs) => labelSelectorMatches(rs.spec.selector, p.object.metadata.labels))).length;
    if (oldPodsActive > 0) this.waitingOnPods.add(`${entry.namespace}/${entry.name}`);
    const actions = planRollout({ replicas: d.spec.replicas, strategy: d.spec.strategy, newRS: newRS && asRollout(newRS), oldRSs: old.map(asRollout), oldPodsActive });
    for (const a of actions) {
      if (a.type === "CreateNewReplicaSet") {
        const { name, manifest } = newReplicaSetManifest(d, a.replicas, revision);
        await this.send(entry, "replicasets", name, { type: "CreateReplicaSet", data: manifest, id: `deploy:${d.metadata.uid}:create:${name}` });
      } else {
        // The id names the ReplicaSet's state it scales from: a retry of the same step is the same command, a later
        // step another, and the stream tells the controller's scales apart from a user's (its ScalingReplicaSet Events).
        const rs = this.ctx.view.get<ReplicaSet>("replicasets", entry.namespace, a.name);
        const id = rs ? { id: `deploy:${d.metadata.uid}:scale:${rs.object.metadata.uid}@${rs.version}:${a.replicas}` } : {};
        await this.send(entry, "replicasets", a.name, { type: "ScaleReplicaSet", data: { replicas: a.replicas }, ...id });
      }
    }
  }

  /**
   * Sets the Deployment's revision annotation, at the version read: a user's change meanwhile is a Conflict, and the
   * change brings the Deployment back to be looked at again.
   */
  private async markRevision(entry: ViewEntry<Deployment>, revision: string): Promise<void> {
    const d = entry.object;
    if (d.metadata.annotations?.[REVISION] === revision) return;
    const metadata = clientMetaOf({ ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: revision } });
    await this.send(entry, "deployments", entry.name, { type: "UpdateDeployment", expectedVersion: entry.version, data: { metadata, spec: d.spec } });
  }

  /** Sets `annotations` on the ReplicaSet (its revision, the Deployment's annotations it carries). */
  private async annotate(entry: ViewEntry<Deployment>, rs: ReplicaSet, annotations: Record<string, string>): Promise<void> {
    const metadata = { ...rs.metadata, annotations: { ...rs.metadata.annotations, ...annotations } };
    await this.send(entry, "replicasets", rs.metadata.name, { type: "UpdateReplicaSet", data: { metadata: clientMetaOf(metadata), spec: rs.spec } });
  }

  private async send<R extends "replicasets" | "deployments">(entry: ViewEntry<Deployment>, resource: R, name: string, command: OutgoingCommand<R>): Promise<void> {
    const type = command.type;
    const ref = { resource, namespace: entry.namespace, name };
    // A ReplicaSet deleted (by a user, or past the history limit) is made again when its template is wanted again.
    const reply = await (command.type === "CreateReplicaSet" ? sendCreate(this.ctx, ref, command) : this.ctx.sender.send(ref, command));
    // A status for a Deployment deleted meanwhile (a namespace's teardown) is not a failure: there is nothing to record.
    const gone = !reply.ok && resource === "deployments" && reply.status.reason === "NotFound";
    // Nor is losing a write made at the version read to a user's change: that change brings the Deployment back.
    const lost = !reply.ok && command.expectedVersion !== undefined && reply.status.reason === "Conflict";
    if (!reply.ok && reply.status.reason !== "AlreadyExists" && !gone && !lost) {
      this.ctx.logger.warn({ deployment: `${entry.namespace}/${entry.name}`, target: name, status: reply.status }, `${type} failed`);
    }
  }
}
