/**
 * The replication manager's round: for every owner of replicas of one kind (ReplicationControllers, or
 * ReplicaSets), create or delete pods towards spec.replicas (slow start, durable ids, in-flight commands counted) and
 * record the status it observes.
 */
import type { Pod } from "../../api/pod.js";
import type { PodTemplate } from "../../api/podTemplate.js";
import type { PodTemplateSpec } from "../../api/podSpec.js";
import type { ViewEntry } from "../../projections/clusterView.js";
import { untypedCommand } from "../../nats/commandClient.js";
import { sameValue } from "../../actors/decisions.js";
import type { ControllerContext } from "../context.js";
import { Expectations } from "../expectations.js";
import { replySequence } from "../fencedSender.js";
import { isActive } from "../pods.js";
import { replicaDiff } from "./diff.js";
import { podManifestOf, type ReplicaOwner, type ReplicatedKind } from "./kind.js";
import { createPodCommandId, deletePodCommandId, freeOrdinals, podName, type RcIdentity } from "./names.js";
import { deletionVictims } from "./ranking.js";
import { replicationControllerKind } from "./rcKind.js";
import { slowStart } from "./slowStart.js";

/** Tunables of the replication manager. */
export interface ReplicationOptions {
  /** Most pods created or deleted per controller and round, and the largest slow-start batch; default 500. */
  burst?: number;
  /** How long an unconfirmed create/delete is counted before it is given up (the view may have stalled); default 5 min. */
  expectationTtlMs?: number;
}

type PodEntry = ViewEntry<Pod>;

/** Reconciles every owner of replicas of one kind in the view. One instance per kind and leadership term. */
export class ReplicationReconciler<T extends ReplicaOwner = ReplicaOwner> {
  private readonly expectations: Expectations;
  /** Ordinals this term has created (per RC uid and generation): never reused, even after their pod is gone. */
  private readonly used = new Map<string, Set<number>>();
  /** The slow-start batch each controller has earned (per RC uid): it grows across rounds and falls to 1 on a failure. */
  private readonly batch = new Map<string, number>();
  private readonly burst: number;

  constructor(
    private readonly ctx: ControllerContext,
    options: ReplicationOptions = {},
    // The default kind is a ReplicationController; its adapter is typed for it, the reconciler only needs ReplicaOwner.
    private readonly kind: ReplicatedKind<T> = replicationControllerKind as unknown as ReplicatedKind<T>,
  ) {
    this.burst = options.burst ?? 500;
    this.expectations = new Expectations(options.expectationTtlMs);
  }

  /** One round over all replication controllers. */
  async reconcile(): Promise<void> {
    this.expectations.settle(this.ctx.view.appliedSequence, this.ctx.now());
    const rcs = this.ctx.view.list<T>(this.kind.resource);
    for (const entry of rcs) await this.syncOne(entry);
    const live = new Set(rcs.map((e) => usedKey(this.identityOf(e))));
    for (const key of this.used.keys()) if (!live.has(key)) this.used.delete(key);
    const uids = new Set(rcs.map((e) => e.object.metadata.uid));
    for (const uid of this.batch.keys()) if (!uids.has(uid)) this.batch.delete(uid);
  }

  private async syncOne(entry: ViewEntry<T>): Promise<void> {
    const id = this.identityOf(entry);
    const pods = this.ctx.view.list<Pod>("pods", entry.namespace);
    const active = pods.filter((p) => this.kind.selects(entry.object, p.object.metadata.labels) && isActive(p.object));
    // Until the view shows what this term already sent, the count is not trustworthy (Kubernetes waits the same way).
    if (this.expectations.keysOf(entry.object.metadata.uid).length === 0) {
      const diff = replicaDiff(entry.object.spec.replicas, active.length, this.burst);
      if (diff > 0) await this.createPods(entry, id, diff, pods);
      if (diff < 0) await this.deletePods(entry, id, deletionVictims(active, -diff));
    }
    await this.recordStatus(entry, active);
  }

  private async createPods(entry: ViewEntry<T>, id: RcIdentity, count: number, pods: readonly PodEntry[]): Promise<void> {
    const template = this.kind.template(entry.object, entry.namespace, (ns, name) => this.ctx.view.get<PodTemplate>("podtemplates", ns, name)?.object);
    if (typeof template === "string") {
      this.ctx.logger.warn({ [this.kind.idPrefix]: `${entry.namespace}/${entry.name}` }, template);
      return;
    }
    const names = new Set(pods.map((p) => p.name));
    const used = this.usedOrdinals(id);
    const ordinals = freeOrdinals(count, (o) => used.has(o) || names.has(podName(id, o)));
    const result = await slowStart(ordinals, this.burst, (o) => this.createPod(entry, id, o, template), this.batch.get(id.uid) ?? 1);
    this.batch.set(id.uid, result.nextBatch);
  }

  private async createPod(entry: ViewEntry<T>, id: RcIdentity, ordinal: number, template: PodTemplateSpec): Promise<boolean> {
    const name = podName(id, ordinal);
    const key = `${entry.namespace}/${name}`;
    this.expectations.expect(id.uid, key, this.ctx.now());
    const reply = await this.ctx.sender.send({ resource: "pods", namespace: entry.namespace, name }, {
      type: "CreatePod", id: createPodCommandId(id, ordinal), data: podManifestOf(this.kind, entry.object, entry.namespace, template, name),
    });
    if (reply.ok) {
      // A repeat of a create whose pod has since gone also answers ok: the ordinal is spent either way.
      this.usedOrdinals(id).add(ordinal);
      this.expectations.confirm(key, replySequence(reply));
      return true;
    }
    this.expectations.forget(key);
    if (reply.status.reason === "AlreadyExists") this.usedOrdinals(id).add(ordinal);
    this.ctx.logger.warn({ pod: key, status: reply.status }, "CreatePod failed");
    return false;
  }

  private async deletePods(entry: ViewEntry<T>, id: RcIdentity, victims: readonly PodEntry[]): Promise<void> {
    await slowStart(victims, this.burst, async (pod) => {
      const key = `${pod.namespace}/${pod.name}`;
      this.expectations.expect(id.uid, key, this.ctx.now());
      const reply = await this.ctx.sender.send({ resource: "pods", namespace: pod.namespace, name: pod.name }, {
        type: "DeletePod", id: deletePodCommandId(id, pod.object.metadata.uid), data: {},
      });
      if (reply.ok) this.expectations.confirm(key, replySequence(reply));
      else this.expectations.forget(key);
      if (!reply.ok && reply.status.reason !== "NotFound") this.ctx.logger.warn({ pod: key, rc: entry.name, status: reply.status }, "DeletePod failed");
      return reply.ok || reply.status.reason === "NotFound";
    });
  }

  private async recordStatus(entry: ViewEntry<T>, active: readonly PodEntry[]): Promise<void> {
    const next = this.kind.status(entry.object, active.map((p) => p.object));
    if (sameValue(entry.object.status, next)) return;
    // No id: the command is idempotent by value, and a durable id would make a later return to the same numbers a no-op.
    const reply = await this.ctx.sender.send({ resource: this.kind.resource, namespace: entry.namespace, name: entry.name }, untypedCommand({
      type: this.kind.statusCommand, data: next,
    }));
    if (!reply.ok) this.ctx.logger.warn({ [this.kind.idPrefix]: `${entry.namespace}/${entry.name}`, status: reply.status }, `${this.kind.statusCommand} failed`);
  }

  private identityOf(entry: ViewEntry<T>): RcIdentity {
    return { name: entry.name, uid: entry.object.metadata.uid, generation: entry.object.metadata.generation ?? 0, prefix: this.kind.idPrefix };
  }

  private usedOrdinals(id: RcIdentity): Set<number> {
    const key = usedKey(id);
    let set = this.used.get(key);
    if (!set) this.used.set(key, (set = new Set()));
    return set;
  }
}


function usedKey(id: RcIdentity): string {
  return `${id.uid}/${id.generation}`;
}
