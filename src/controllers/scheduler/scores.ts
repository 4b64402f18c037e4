/** The default scores: spread the pods of one controller across nodes, then prefer the least allocated node. Pure. */
import { scorePlugin, type ScorePlugin } from "./plugins.js";
import { NON_ZERO_DEFAULTS, podRequests } from "./resources.js";

/**
 * A node's best score per plugin: Kubernetes' 10, counted here in thousandths of a point so that scores are whole
 * numbers. A decision scores hundreds of nodes, and a fraction returned from a score is a number V8 allocates on the
 * heap (a whole number below 2^30 is not): fractional scores were a fifth of everything the controllers allocated.
 */
export const MAX_SCORE = 10_000;

/**
 * Kubernetes' SelectorSpreadPriority: `MAX_SCORE` (Kubernetes' 10) on the nodes with the fewest peers (peers.ts), 0 on those with the most.
 * The counts come from the snapshot, which keeps them per peer group (no scan of the nodes' pods per score).
 */
export const selectorSpread = scorePlugin("SelectorSpread", 1, (pod, snapshot) => {
  const max = snapshot.spread.maxPeers(pod);
  if (max === 0) return () => MAX_SCORE;
  const peers = snapshot.spread.peersOn(pod);
  return (info) => Math.floor((MAX_SCORE * (max - peers(info))) / max);
});

/**
 * Kubernetes' LeastRequestedPriority: per resource the node reports, MAX_SCORE × free / allocatable after placing the
 * pod (rounded down), averaged over cpu and memory (rounded down, as Kubernetes' integer division does); requests
 * left unstated count as 100m / 200Mi so empty pods spread too.
 */
export const leastAllocated = scorePlugin("LeastAllocated", 1, (pod) => {
  const asked = podRequests(pod, NON_ZERO_DEFAULTS);
  return (info) => {
    const cpu = fraction(info.nonZeroMilliCpu + asked.milliCpu, info.allocatableMilliCpu);
    const memory = fraction(info.nonZeroMemory + asked.memory, info.allocatableMemory);
    if (cpu === null) return memory ?? 0;
    return memory === null ? cpu : Math.floor((cpu + memory) / 2);
  };
});

/** MAX_SCORE × (capacity − used) / capacity, rounded down, clamped at 0; null when the capacity is zero or not limited. */
function fraction(used: number, capacity: number): number | null {
  if (!(capacity > 0 && capacity < Infinity)) return null;
  if (used >= capacity) return 0;
  return Math.floor(((capacity - used) * MAX_SCORE) / capacity);
}

/** The default scores, with equal weights as in Kubernetes. */
export const DEFAULT_SCORES: readonly ScorePlugin[] = [selectorSpread, leastAllocated];
