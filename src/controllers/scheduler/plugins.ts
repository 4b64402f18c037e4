/**
 * The scheduler's plugin interface, in the shape of Kubernetes' scheduling framework reduced to its two steps:
 * filters say whether a pod can go to a node (and why not), scores rank the nodes that are left.
 */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";

/**
 * Amounts the scheduler adds up: CPU in thousandths of a core, memory in bytes. Numbers, exact while below 2^53 (8 PiB
 * of memory, 9 × 10^12 cores): a decision adds and compares them for hundreds of nodes, and bigints allocated on
 * every step made that the scheduler's largest cost.
 */
export interface Amounts {
  milliCpu: number;
  memory: number;
}

/**
 * One node as the scheduler sees it: the node, the active pods bound (or assumed bound) to it, and what they use. The
 * scheduler's cache keeps one per node up to date change by change, so a plugin must not keep anything keyed on it.
 * The amounts a decision compares are numbers, not objects of their own: a decision reads them for hundreds of nodes,
 * and at 10,000 nodes each object it follows is a miss of the processor's caches (the sums and the allocatable as
 * objects made two of the scheduler's three costliest lines; the cache keeps them in one table, nodeNumbers.ts).
 */
export interface NodeInfo {
  readonly name: string;
  /**
   * A small number no other node of the snapshot has (a gone node's may be given to a new one): per-node counts are
   * kept in arrays indexed by it, since a decision reads them for hundreds of nodes and a lookup by name in a map of
   * 10,000 was its largest cost.
   */
  readonly slot: number;
  readonly node: Node;
  /**
   * What the node offers (`nodeAllocatable` of `node`), worked out once per node object, not per decision; Infinity
   * when not limited. A number either way: a decision reads these for hundreds of nodes, and a value that is
   * sometimes undefined cannot stay an unboxed double (memory in bytes, past 2^30, got a new heap box at every read).
   */
  readonly allocatableMilliCpu: number;
  readonly allocatableMemory: number;
  readonly allocatablePods: number;
  /** The node's Ready condition is True (a new node is Unknown until its first heartbeat is seen). */
  readonly ready: boolean;
  /** The node is cordoned (`spec.unschedulable`). */
  readonly unschedulable: boolean;
  /** `pods.size`, kept beside the other numbers a decision reads. */
  readonly podCount: number;
  /** By `<namespace>/<name>`. */
  readonly pods: ReadonlyMap<string, Pod>;
  /** Sum of the requests of `pods`. */
  readonly requestedMilliCpu: number;
  readonly requestedMemory: number;
  /** Sum of the requests of `pods`, a container that states none counting as NON_ZERO_DEFAULTS (what scores compare). */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  /** `<protocol>/<hostPort>/<hostIP>` of every host port `pods` use. */
  readonly usedPorts: ReadonlySet<string>;
}

/** The selector of a controller that owns pods: what "pods of the same controller" means for spreading. */
export interface ControllerSelector {
  namespace: string;
  selector: Record<string, string>;
}

/** How many peers of a pod (pods of the same controller, as peers.ts defines them) each node of a snapshot has. */
export interface SpreadCounts {
  /**
   * How many active peers of `pod` a node of the snapshot has: what a decision asks once and then reads per node,
   * valid until the next change.
   */
  peersOn(pod: Pod): (node: NodeInfo) => number;
  /** The most peers of `pod` on any one node of the snapshot; 0 when there are none. */
  maxPeers(pod: Pod): number;
}

/** The cluster at the moment of a scheduling decision. */
export interface Snapshot {
  /** Sorted by name. */
  readonly nodes: readonly NodeInfo[];
  readonly spread: SpreadCounts;
}

/** Whether `pod` may run on `node`: null when it fits, else the reason as the failure message counts it. */
export interface FilterPlugin {
  name: string;
  filter(pod: Pod, node: NodeInfo, snapshot: Snapshot): string | null;
  /**
   * The same check with what depends on the pod alone worked out once (Kubernetes' PreFilter): a decision asks it
   * of hundreds of nodes. `filterPlugin` makes `filter` from it.
   */
  forPod(pod: Pod, snapshot: Snapshot): (node: NodeInfo) => string | null;
}

/**
 * How good `node` is for `pod`, a whole number from 0 (worst) to `MAX_SCORE` (best: Kubernetes' 10, in thousandths;
 * scores.ts); the weighted sum over plugins ranks the nodes.
 */
export interface ScorePlugin {
  name: string;
  weight: number;
  score(pod: Pod, node: NodeInfo, snapshot: Snapshot): number;
  /** The same score with what depends on the pod alone worked out once (Kubernetes' PreScore). */
  forPod(pod: Pod, snapshot: Snapshot): (node: NodeInfo) => number;
}

/** A filter plugin from its per-pod form. Pure. */
export function filterPlugin(name: string, forPod: FilterPlugin["forPod"]): FilterPlugin {
  return { name, forPod, filter: (pod, node, snapshot) => forPod(pod, snapshot)(node) };
}

/** A score plugin from its per-pod form. Pure. */
export function scorePlugin(name: string, weight: number, forPod: ScorePlugin["forPod"]): ScorePlugin {
  return { name, weight, forPod, score: (pod, node, snapshot) => forPod(pod, snapshot)(node) };
}

/** The plugins a scheduler runs, in order. */
export interface SchedulerPlugins {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
}
