/**
 * The replication manager, owner by owner: for one owner of replicas of one kind (a ReplicationController, or a
 * ReplicaSet), create or delete pods towards spec.replicas (slow start, durable ids, in-flight commands counted) and
 * record the status it observes. Its indexes follow the view's changes, so a sync reads only its owner's pods.
 */
import type { Pod } from "../../api/pod.js";
import type { PodTemplate } from "../../api/podTemplate.js";
import type { PodTemplateSpec } from "../../api/podSpec.js";
import type { ReplicaCondition } from "../../api/replicaCondition.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import { untypedCommand } from "../../nats/commandClient.js";
import { sameValue } from "../../actors/decisions.js";
import type { ControllerContext } from "../context.js";
import { Expectations } from "../expectations.js";
import { replySequence } from "../fencedSender.js";
import type { KeyedController } from "../keyedLoop.js";
import { FiledIndex } from "../filedIndex.js";
import { ReportedFailure } from "../workQueue.js";
import { REPLICA_FAILURE, replicaConditions, type SyncOutcome } from "./failure.js";
import { replicaDiff } from "./diff.js";
import { podManifestOf, type ReplicaCounts, type ReplicaOwner, type ReplicatedKind } from "./kind.js";
import { createPodCommandId, deletePodCommandId, freeOrdinals, podName, type RcIdentity } from "./names.js";
import { OwnedPods } from "./ownedPods.js";
import { deletionVictims } from "./ranking.js";
import { replicationControllerKind } from "./rcKind.js";
import { slowStart } from "./slowStart.js";

/** Tunables of the replication manager. */
export interface ReplicationOptions {
  /** Most pods created or deleted per controller and sync, and the largest slow-start batch; default 500. */
  burst?: number;
  /** How long an unconfirmed create/delete is counted before it is given up (the view may have stalled); default 5 min. */
  expectationTtlMs?: number;
  /** The wall clock of condition times; default `new Date()`. */
  wallTime?: () => Date;
}

type PodEntry = ViewEntry<Pod>;

/** What this term remembers of one owner between its syncs. */
interface OwnerMemory {
  id: RcIdentity;
  /** Ordinals this term has created for this uid and generation: never reused, even after their pod is gone. */
  used: Set<number>;
  /** The slow-start batch it has earned: it grows across syncs and falls to 1 on a failure. */
  batch: number;
  /** The conditions this term last recorded, and the sequence of that record: the view may not show them yet. */
  written?: { sequence: number; conditions: ReplicaCondition[] | undefined };
}

/**
 * Reconciles the owners of replicas of one kind, owner by owner (key `<namespace>/<name>`), on a work queue fed by
 * the view's changes. One instance per kind and leadership term; its index is the process's (informers.ts) when
 * given, else its own, built from the view.
 */
export class ReplicationReconciler<T extends ReplicaOwner = ReplicaOwner> implements KeyedController {
  private readonly expectations: Expectations;
  private readonly memory = new Map<string, OwnerMemory>();
  private readonly filed: FiledIndex<OwnedPods<T>, string[]>;
  private readonly burst: number;
  private readonly wallTime: () => Date;

  constructor(
    private readonly ctx: ControllerContext,
    options: ReplicationOptions = {},
    // The default kind is a ReplicationController; its adapter is typed for it, the reconciler only needs ReplicaOwner.
    private readonly kind: ReplicatedKind<T> = replicationControllerKind as unknown as ReplicatedKind<T>,
    filed?: FiledIndex<OwnedPods<T>, string[]>,
  ) {
    this.burst = options.burst ?? 500;
    this.wallTime = options.wallTime ?? (() => new Date());
    this.expectations = new Expectations(options.expectationTtlMs);
    this.filed = filed ?? new FiledIndex(OwnedPods.fromView(kind, ctx.view));
  }

  private get index(): OwnedPods<T> {
    return this.filed.index;
  }

  /**
   * The owner's own change, the owners a pod's change concerns (before and after), every owner of the namespace for a
   * PodTemplate's, and for a quota's change the owners of its namespace whose creates were refused (a raised quota lets
   * them go on at once, not at their next retry). It also files the change in the index unless it is filed already:
   * the index must see every change of the view, in order.
   */
  keysOf(change: ViewChange): string[] {
    if (change.resource === "podtemplates") return [...this.index.owners.by("namespace", change.namespace)].map((o) => `${o.namespace}/${o.name}`);
    if (change.resource === "resourcequotas") {
      return [...this.index.owners.by("namespace", change.namespace)]
        .filter((o) => o.object.status.conditions?.some((c) => c.type === REPLICA_FAILURE)).map((o) => `${o.namespace}/${o.name}`);
    }
    return this.filed.file(change);
  }

  allKeys(): string[] {
    return [...this.index.owners.all()].map((o) => `${o.namespace}/${o.name}`);
  }

  /** Every key at once (a whole pass, as a resync makes it); failures are logged, not thrown. */
  async reconcile(): Promise<void> {
    for (const key of this.allKeys()) {
      await this.sync(key).catch((err: unknown) => this.ctx.logger.warn({ err, [this.kind.idPrefix]: key }, "sync failed"));
    }
  }

  /**
   * Creates or deletes pods of one owner towards spec.replicas and records its status (with a `ReplicaFailure`
   * condition while its commands are refused); throws when a create or delete failed, so the queue retries the owner
   * after a backoff.
   */
  async sync(key: string): Promise<void> {
    this.expectations.settle(this.ctx.view.appliedSequence, this.ctx.now());
    const [namespace, name] = key.split("/") as [string, string];
    const entry = this.index.owners.get(namespace, name);
    if (!entry) {
      this.memory.delete(key);
      return;
    }
    const memory = this.remember(key, entry);
    // The counts, not the pods: a sync of an owner of 100,000 pods must not pass over them (only a scale-down ranks them).
    const counts = this.index.countsOf(entry);
    let outcome: SyncOutcome = { kind: "waiting" };
    // Until the view shows what this term already sent, the count is not trustworthy (Kubernetes waits the same way).
    // An owner being deleted (a ReplicaSet its finalizers hold) makes and deletes no pods, as Kubernetes' controller.
    if (this.expectations.keysOf(entry.object.metadata.uid).length === 0 && entry.object.metadata.deletionTimestamp === undefined) {
      const diff = replicaDiff(entry.object.spec.replicas, counts.active, this.burst);
      outcome = { kind: "done" };
      if (diff > 0) outcome = await this.createPods(entry, memory, diff);
      if (diff < 0) outcome = await this.deletePods(entry, memory, deletionVictims([...this.index.activeOf(entry).values()], -diff));
    }
    await this.recordStatus(entry, memory, counts, outcome);
    if (outcome.kind === "failed") throw new ReportedFailure(`${this.kind.idPrefix} ${key}: a create or delete failed (${outcome.message})`);
    if (outcome.kind === "unsent") throw new Error(`${this.kind.idPrefix} ${key}: a create or delete failed`);
  }

  /** The owner's memory, new for a new uid; its used ordinals start afresh with each generation. */
  private remember(key: string, entry: ViewEntry<T>): OwnerMemory {
    const id = { name: entry.name, uid: entry.object.metadata.uid, generation: entry.object.metadata.generation ?? 0, prefix: this.kind.idPrefix };
    const m = this.memory.get(key);
    if (m?.id.uid !== id.uid) {
      const fresh = { id, used: new Set<number>(), batch: 1 };
      this.memory.set(key, fresh);
      return fresh;
    }
    if (m.id.generation !== id.generation) Object.assign(m, { id, used: new Set<number>() });
    return m;
  }

  /** Failed when a create it tried was refused (with the first refusal's message). */
  private async createPods(entry: ViewEntry<T>, memory: OwnerMemory, count: number): Promise<SyncOutcome> {
    const template = this.kind.template(entry.object, entry.namespace, (ns, name) => this.ctx.view.get<PodTemplate>("podtemplates", ns, name)?.object);
    if (typeof template === "string") {
      // Nothing to retry until the owner or its template changes.
      this.ctx.logger.warn({ [this.kind.idPrefix]: `${entry.namespace}/${entry.name}` }, template);
      return { kind: "done" };
    }
    const { id, used } = memory;
    // An ordinal is taken by this term's creates or by a pod of its name, which is in the owner's namespace.
    const takenAtMost = used.size + this.index.pods.count("namespace", entry.namespace);
    const ordinals = freeOrdinals(count, (o) => used.has(o) || this.index.pods.get(entry.namespace, podName(id, o)) !== undefined, takenAtMost);
    const refusals: string[] = [];
    const result = await slowStart(ordinals, this.burst, (o) => this.createPod(entry, memory, o, template, refusals), memory.batch);
    memory.batch = result.nextBatch;
    return outcomeOf(result.failed, "FailedCreate", refusals);
  }

  private async createPod(entry: ViewEntry<T>, { id, used }: OwnerMemory, ordinal: number, template: PodTemplateSpec, refusals: string[]): Promise<boolean> {
    const name = podName(id, ordinal);
    const key = `${entry.namespace}/${name}`;
    const reply = await this.expectations.sending(id.uid, key, this.ctx.now(), () => this.ctx.sender.send({ resource: "pods", namespace: entry.namespace, name }, {
      type: "CreatePod", id: createPodCommandId(id, ordinal), data: podManifestOf(this.kind, entry.object, entry.namespace, template, name),
    }));
    if (reply.ok) {
      // A repeat of a create whose pod has since gone also answers ok: the ordinal is spent either way.
      used.add(ordinal);
      return true;
    }
    // A name taken is this manager's naming, not a refusal to report: the next sync takes another ordinal.
    if (reply.status.reason === "AlreadyExists") used.add(ordinal);
    else refusals.push(reply.status.message);
    this.ctx.logger.debug({ pod: key, status: reply.status }, "CreatePod failed");
    return false;
  }

  /** Failed when a delete it tried was refused (a pod already gone is no failure). */
  private async deletePods(entry: ViewEntry<T>, { id }: OwnerMemory, victims: readonly PodEntry[]): Promise<SyncOutcome> {
    const refusals: string[] = [];
    const result = await slowStart(victims, this.burst, async (pod) => {
      const key = `${pod.namespace}/${pod.name}`;
      const reply = await this.expectations.sending(id.uid, key, this.ctx.now(), () => this.ctx.sender.send({ resource: "pods", namespace: pod.namespace, name: pod.name }, {
        type: "DeletePod", id: deletePodCommandId(id, pod.object.metadata.uid), data: {},
      }));
      if (reply.ok || reply.status.reason === "NotFound") return true;
      refusals.push(reply.status.message);
      this.ctx.logger.debug({ pod: key, rc: entry.name, status: reply.status }, "DeletePod failed");
      return false;
    });
    return outcomeOf(result.failed, "FailedDelete", refusals);
  }

  private async recordStatus(entry: ViewEntry<T>, memory: OwnerMemory, counts: ReplicaCounts, outcome: SyncOutcome): Promise<void> {
    // Until the view shows this term's last record, its conditions are the ones to go on from (a retry comes soon).
    const written = memory.written && this.ctx.view.appliedSequence < memory.written.sequence ? memory.written.conditions : entry.object.status.conditions;
    const conditions = replicaConditions(written, outcome, rfc3339Seconds(this.wallTime()));
    const next = { ...this.kind.status(entry.object, counts), ...(conditions ? { conditions } : {}) };
    if (sameValue(entry.object.status, next)) return;
    // No id: the command is idempotent by value, and a durable id would make a later return to the same numbers a no-op.
    const reply = await this.ctx.sender.send({ resource: this.kind.resource, namespace: entry.namespace, name: entry.name }, untypedCommand({
      type: this.kind.statusCommand, data: next,
    }));
    if (reply.ok) memory.written = { sequence: replySequence(reply), conditions };
    else this.ctx.logger.warn({ [this.kind.idPrefix]: `${entry.namespace}/${entry.name}`, status: reply.status }, `${this.kind.statusCommand} failed`);
  }
}

/** A sync's outcome from how many of its commands failed and the refusals' messages. Pure. */
function outcomeOf(failed: number, reason: "FailedCreate" | "FailedDelete", refusals: readonly string[]): SyncOutcome {
  if (failed === 0) return { kind: "done" };
  // A command that could not be sent (a timeout, the term over) or found its name taken has no refusal to tell.
  const message = refusals[0];
  return message === undefined ? { kind: "unsent" } : { kind: "failed", reason, message };
}
