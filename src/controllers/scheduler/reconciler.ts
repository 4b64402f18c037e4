/**
 * The scheduler, pod by pod on a work queue (keyedLoop.ts): a pending pod's change queues it; a decision reads the
 * scheduler's cache (cache.ts) and assumes the pod on the chosen node before its bind is sent, so the decisions that
 * follow count it while the binds overlap. A pod that fits nowhere is marked Unschedulable (once per message) and
 * waits until a node changes or a pod leaves a node, as Kubernetes' unschedulable queue does.
 */
import type { Pod } from "../../api/pod.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
import { FiledIndex } from "../filedIndex.js";
import { SchedulerCache, type CacheEffect, type TermAssumptions } from "./cache.js";
import { DEFAULT_PLUGINS, feasibleNodesToFind, schedule } from "./decide.js";
import type { SchedulerPlugins } from "./plugins.js";
import { podClaimNames } from "../../api/volumes.js";
import { unboundClaims, type ClaimToPlace } from "./volumeBinding.js";

/** Tunables of the scheduler. */
export interface SchedulerOptions {
  plugins?: SchedulerPlugins;
  /** How long a confirmed bind the view does not show yet is still counted; default 5 min. */
  expectationTtlMs?: number;
  /** Pods decided on and bound at once; default 64 (1: one round trip per pod). */
  maxInFlight?: number;
}

type PodEntry = ViewEntry<Pod>;

/** Decisions between two turns of the event loop: a pod found unschedulable again sends nothing, so its turn never waits on I/O. */
const YIELD_EVERY = 50;

/** True when the pod already says exactly `message` as its Unschedulable condition (so sending it again is noise). Pure. */
export function alreadyMarked(pod: Pod, message: string): boolean {
  const c = pod.status.conditions?.find((x) => x.type === "PodScheduled");
  return c?.status === "False" && c.reason === "Unschedulable" && c.message === message;
}

/**
 * Places pods, one key `<namespace>/<name>` at a time. One instance per leadership term, on the process's cache
 * (informers.ts) when given, else on its own, built from the view.
 */
export class SchedulerReconciler implements KeyedController {
  private readonly filed: FiledIndex<SchedulerCache, CacheEffect>;
  /** This term's assumptions on the cache. */
  private readonly assumptions: TermAssumptions;
  /** Pending pods whose last decision found no node: they wait for a change that may make room. */
  private readonly unschedulable = new Set<string>();
  /** Pods that wait for a claim to be made or bound, by the claim's `<namespace>/<name>`: its change queues them. */
  private readonly claimWaiters = new Map<string, Set<string>>();
  private readonly plugins: SchedulerPlugins;
  /** Binds at once when the queue runs this controller (its workers). */
  readonly maxInFlight: number;
  private nextStart = 0;
  /** Decisions since the event loop last turned, and the turn the next ones wait for. */
  private sinceTurn = 0;
  private turn: Promise<void> | null = null;

  constructor(private readonly ctx: ControllerContext, options: SchedulerOptions = {}, filed?: FiledIndex<SchedulerCache, CacheEffect>) {
    this.filed = filed ?? new FiledIndex(new SchedulerCache(ctx.view, options.expectationTtlMs));
    this.assumptions = this.cache.beginTerm();
    this.plugins = options.plugins ?? DEFAULT_PLUGINS;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 64);
  }

  private get cache(): SchedulerCache {
    return this.filed.index;
  }

  /**
   * Files the change in the cache unless it is filed already (the cache must see every change of the view, in order)
   * and returns the pods to decide on:
   * the pending pod it changed, unless that pod waits for room; every pod waiting for room when the change made some
   * (a node changed, a pod left a node) or when assumptions expired.
   */
  keysOf(change: ViewChange): string[] {
    const expired = this.cache.expire(this.ctx.now());
    const effect = this.filed.file(change);
    if (change.resource === "pods" && effect.pending === null) this.unschedulable.delete(`${change.namespace}/${change.name}`);
    const keys = effect.pending !== null && !this.unschedulable.has(effect.pending) ? [effect.pending, ...expired] : expired;
    if (effect.freed || expired.length > 0) keys.push(...this.unschedulable);
    if (change.resource === "persistentvolumeclaims") {
      const claim = `${change.namespace}/${change.name}`;
      keys.push(...this.claimWaiters.get(claim) ?? []);
      this.claimWaiters.delete(claim);
    }
    return keys;
  }

  /** Every pending pod, oldest first. */
  allKeys(): string[] {
    this.cache.expire(this.ctx.now());
    return this.cache.pendingKeys();
  }

  /** Every pending pod in turn (a whole pass, as a resync makes it); failures are logged, not thrown. */
  async reconcile(): Promise<void> {
    for (const key of this.allKeys()) {
      await this.sync(key).catch((err: unknown) => this.ctx.logger.warn({ err, pod: key }, "scheduling failed"));
    }
  }

  /**
   * Decides on one pending pod and binds it or marks it Unschedulable; throws when the bind was refused or could not
   * be sent, so the queue tries the pod again after a backoff.
   */
  async sync(key: string): Promise<void> {
    await this.pace();
    const entry = this.cache.pendingPod(key);
    if (!entry || entry.object.spec.schedulingGates?.length) {
      // Gone, bound, or gated: a gated pod's update that takes its last gate away queues it again.
      this.unschedulable.delete(key);
      return;
    }
    const snapshot = this.cache.snapshot();
    const claimNames = podClaimNames(entry.object.spec);
    const claims = unboundClaims(claimNames, (claim) => this.ctx.view.get<ClaimToPlace>("persistentvolumeclaims", entry.namespace, claim)?.object);
    if (claims !== null) {
      // It waits for its claims' changes only, not for room on a node.
      for (const claim of claimNames) {
        const waiting = this.claimWaiters.get(`${entry.namespace}/${claim}`) ?? new Set<string>();
        this.claimWaiters.set(`${entry.namespace}/${claim}`, waiting.add(key));
      }
      await this.markUnschedulable(entry, `0/${snapshot.nodes.length} nodes are available: ${claims}.`);
      return;
    }
    // Like Kubernetes, each decision starts where the previous one stopped looking, so large clusters are sampled evenly.
    const decision = schedule(entry.object, snapshot, this.plugins, this.nextStart);
    this.nextStart = (this.nextStart + feasibleNodesToFind(snapshot.nodes.length)) % Math.max(1, snapshot.nodes.length);
    if ("unschedulable" in decision) {
      this.unschedulable.add(key);
      await this.markUnschedulable(entry, decision.unschedulable);
      return;
    }
    this.unschedulable.delete(key);
    await this.bind(key, entry, decision.nodeName);
  }

  /**
   * Waits for a turn of the event loop once YIELD_EVERY decisions were made since the last one, whichever worker of
   * the queue made them: a run of decisions must not starve the lease renewals and the NATS client of this process.
   */
  private async pace(): Promise<void> {
    while (this.sinceTurn >= YIELD_EVERY) {
      this.turn ??= new Promise((resolve) => setImmediate(() => {
        this.sinceTurn = 0;
        this.turn = null;
        resolve();
      }));
      await this.turn;
    }
    this.sinceTurn++;
  }

  private async bind(key: string, entry: PodEntry, nodeName: string): Promise<void> {
    const hostIP = this.cache.node(nodeName)?.node.status.addresses?.find((a) => a.type === "InternalIP")?.address;
    // Assumed before the send (decisions made while it is under way count it), forgotten if it does not go through.
    this.assumptions.assume(key, nodeName);
    let reply;
    try {
      // The id names the pod's version: a new leader binding the same pod at the same version sends the same command.
      reply = await this.ctx.sender.send({ resource: "pods", namespace: entry.namespace, name: entry.name }, {
        type: "BindPod", id: `sched:${entry.object.metadata.uid}:v${entry.version}:bind:${nodeName}`, expectedVersion: entry.version,
        data: hostIP === undefined ? { nodeName } : { nodeName, hostIP },
      });
    } catch (err) {
      this.assumptions.forget(key);
      throw err;
    }
    if (reply.ok) {
      this.assumptions.confirm(key, this.ctx.now());
      return;
    }
    this.assumptions.forget(key);
    if (reply.status.reason === "NotFound") return;
    this.ctx.logger.info({ pod: key, node: nodeName, status: reply.status }, "BindPod refused");
    throw new Error(`BindPod ${key} to ${nodeName} refused: ${reply.status.reason}`);
  }

  private async markUnschedulable(entry: PodEntry, message: string): Promise<void> {
    if (alreadyMarked(entry.object, message)) return;
    const reply = await this.ctx.sender.send({ resource: "pods", namespace: entry.namespace, name: entry.name }, {
      type: "MarkPodUnschedulable", expectedVersion: entry.version, data: { message },
    });
    if (!reply.ok) this.ctx.logger.info({ pod: `${entry.namespace}/${entry.name}`, status: reply.status }, "MarkPodUnschedulable refused");
  }
}
