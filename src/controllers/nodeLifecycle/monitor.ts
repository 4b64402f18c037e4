/**
 * The node lifecycle decision: from the heartbeat leases, the node objects and this controller's monotonic clock,
 * which nodes become Ready or NotReady and whose pods are evicted. Wall-clock `renewTime`s of other machines are
 * never compared with ours: only whether a lease changed, and when we saw it change, count. Pure.
 */
import { readyStatus } from "../../api/node.js";
import { DEFAULT_TOLERATION_SECONDS, toleratedLossMs } from "../../api/nodeTaints.js";
import type { Toleration } from "../../api/podPlacement.js";
import type { NodeLease } from "../../api/nodeLease.js";

/** How long without a heartbeat makes a node NotReady, and how long NotReady makes its pods go. */
export interface NodeLifecycleOptions {
  /** Default 40 s (Kubernetes' node-monitor-grace-period). */
  gracePeriodMs: number;
  /**
   * Default 5 min (Kubernetes' pod-eviction-timeout, and the DefaultTolerationSeconds a pod's admission gives it),
   * measured from when this controller saw the node NotReady: how long a pod with no NoExecute toleration of the
   * node's state stays on it.
   */
  evictionTimeoutMs: number;
}

/** The defaults, as in Kubernetes 1.0. */
export const DEFAULT_NODE_LIFECYCLE: NodeLifecycleOptions = { gracePeriodMs: 40_000, evictionTimeoutMs: DEFAULT_TOLERATION_SECONDS * 1000 };

/** What this controller remembers of one node between rounds. */
export interface NodeObservation {
  /** The last renewTime seen, or null when the node has no lease. */
  renewTime: string | null;
  /** Monotonic time we saw `renewTime` change (or first looked, for the grace period from our start). */
  observedAt: number;
  /**
   * True once we have seen the lease change while watching. The first look is only a baseline: a lease left
   * behind by a dead node looks the same as a live one until it moves.
   */
  beating: boolean;
  /** The lease duration the node announced, if any: a node that beats slowly gets at least that long. */
  leaseDurationMs?: number;
  /** Monotonic time we first judged the node NotReady, null while it is ready or within its grace period. */
  notReadySince: number | null;
}

/** The observation of one node after a sample of its lease at `now`. Pure. */
export function observe(prev: NodeObservation | undefined, lease: NodeLease | undefined, now: number, opts: NodeLifecycleOptions): NodeObservation {
  const renewTime = lease?.renewTime ?? null;
  const duration = lease?.leaseDurationMs ? { leaseDurationMs: lease.leaseDurationMs } : {};
  let next: NodeObservation;
  if (!prev) next = { renewTime, observedAt: now, beating: false, notReadySince: null, ...duration };
  else if (lease && renewTime !== prev.renewTime) next = { renewTime, observedAt: now, beating: true, notReadySince: prev.notReadySince, ...duration };
  else next = { ...prev, renewTime };
  next.notReadySince = isFresh(next, now, opts) ? null : (prev?.notReadySince ?? now);
  return next;
}

/** True while the node's last heartbeat (as we saw it) is younger than its grace period. Pure. */
export function isFresh(o: NodeObservation, now: number, opts: NodeLifecycleOptions): boolean {
  return now < staleAt(o, opts);
}

/** When the node's grace period runs out, on our clock, unless it beats before. Pure. */
export function staleAt(o: NodeObservation, opts: NodeLifecycleOptions): number {
  return o.observedAt + Math.max(opts.gracePeriodMs, o.leaseDurationMs ?? 0);
}

/** A change of a node's Ready condition to send. */
export interface ReadyChange {
  status: "True" | "Unknown";
  reason: string;
  message: string;
}

/** The status of a node's Ready condition (undefined: it has none yet). */
export type NodeReadiness = ReturnType<typeof readyStatus>;

/**
 * The Ready condition the node should have, when it differs from `current`, the status it has; null when nothing is
 * to send. Pure.
 */
export function readyChange(current: NodeReadiness, o: NodeObservation, now: number, opts: NodeLifecycleOptions): ReadyChange | null {
  if (isFresh(o, now, opts)) {
    // Within the grace period from our start nothing is known yet: no change either way.
    if (!o.beating) return null;
    return current === "True" ? null : { status: "True", reason: "NodeReady", message: "the node agent is posting heartbeats" };
  }
  // Only a Ready node is demoted: False was said by someone who knew more, and Unknown is already what we would say.
  return current === "True" ? { status: "Unknown", reason: "NodeStatusUnknown", message: "the node agent stopped posting heartbeats" } : null;
}

/** A pod on a lost node, with the tolerations that say how long it may stay. */
export interface PodOnLostNode<P> {
  pod: P;
  tolerations: readonly Toleration[] | undefined;
}

/**
 * Which pods of a node lost since `since` (as we saw it, its state's taint `key`) must go at `now`, and when the next
 * one will (null: none will, each tolerating the loss for good): each stays for its NoExecute toleration of `key`,
 * else the eviction timeout (the default toleration its admission would have given it), as Kubernetes' taint-based
 * eviction has it. Pure.
 */
export function evictionsOf<P>(since: number, pods: readonly PodOnLostNode<P>[], key: string, now: number, opts: NodeLifecycleOptions): { due: P[]; next: number | null } {
  const due: P[] = [];
  let next: number | null = null;
  for (const { pod, tolerations } of pods) {
    const at = since + toleratedLossMs(tolerations, key, opts.evictionTimeoutMs);
    if (at <= now) due.push(pod);
    else if (Number.isFinite(at)) next = next === null ? at : Math.min(next, at);
  }
  return { due, next };
}

/** The message of an eviction, in Kubernetes' words. Pure. */
export function evictionMessage(nodeName: string, podName: string): string {
  return `Node ${nodeName} which was running pod ${podName} is unresponsive`;
}
