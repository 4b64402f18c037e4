/**
 * The scheduler's plugin interface, in the shape of Kubernetes' scheduling framework reduced to its two steps:
 * filters say whether a pod can go to a node (and why not), scores rank the nodes that are left.
 */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";

/** Amounts the scheduler adds up: CPU in thousandths of a core, memory in bytes (exact, as bigints). */
export interface Amounts {
  milliCpu: bigint;
  memory: bigint;
}

/** One node as the scheduler sees it: the node, the active pods bound (or just bound) to it, and what they use. */
export interface NodeInfo {
  name: string;
  node: Node;
  pods: Pod[];
  /** Sum of the requests of `pods`. */
  requested: Amounts;
  /** `<protocol>/<hostPort>/<hostIP>` of every host port `pods` use. */
  usedPorts: Set<string>;
}

/** The selector of a controller that owns pods: what "pods of the same controller" means for spreading. */
export interface ControllerSelector {
  namespace: string;
  selector: Record<string, string>;
}

/** The cluster at the moment of a scheduling round. */
export interface Snapshot {
  /** Sorted by name. */
  nodes: NodeInfo[];
  controllers: ControllerSelector[];
}

/** Whether `pod` may run on `node`: null when it fits, else the reason as the failure message counts it. */
export interface FilterPlugin {
  name: string;
  filter(pod: Pod, node: NodeInfo, snapshot: Snapshot): string | null;
}

/** How good `node` is for `pod`, from 0 (worst) to 10 (best); the weighted sum over plugins ranks the nodes. */
export interface ScorePlugin {
  name: string;
  weight: number;
  score(pod: Pod, node: NodeInfo, snapshot: Snapshot): number;
}

/** The plugins a scheduler runs, in order. */
export interface SchedulerPlugins {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
}
