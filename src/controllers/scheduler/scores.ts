/** The default scores: spread the pods of one controller across nodes, then prefer the least allocated node. Pure. */
import { scorePlugin, type ScorePlugin } from "./plugins.js";
import { NON_ZERO_DEFAULTS, podRequests } from "./resources.js";

const MAX_SCORE = 10;

/**
 * Kubernetes' SelectorSpreadPriority: 10 on the nodes with the fewest peers (peers.ts), 0 on those with the most.
 * The counts come from the snapshot, which keeps them per peer group (no scan of the nodes' pods per score).
 */
export const selectorSpread = scorePlugin("SelectorSpread", 1, (pod, snapshot) => {
  const max = snapshot.spread.maxPeers(pod);
  if (max === 0) return () => MAX_SCORE;
  const peers = snapshot.spread.peersOn(pod);
  return (info) => (MAX_SCORE * (max - peers(info))) / max;
});

/**
 * Kubernetes' LeastRequestedPriority: per resource the node reports, 10 × free / allocatable after placing the pod,
 * averaged over cpu and memory; requests left unstated count as 100m / 200Mi so empty pods spread too.
 */
export const leastAllocated = scorePlugin("LeastAllocated", 1, (pod) => {
  const asked = podRequests(pod, NON_ZERO_DEFAULTS);
  return (info) => {
    const cpu = fraction(info.nonZeroMilliCpu + asked.milliCpu, info.allocatableMilliCpu);
    const memory = fraction(info.nonZeroMemory + asked.memory, info.allocatableMemory);
    if (cpu === null) return memory ?? 0;
    return memory === null ? cpu : (cpu + memory) / 2;
  };
});

/** 10 × (capacity − used) / capacity in thousandths (rounded down), clamped at 0; null when the capacity is unknown or zero. */
function fraction(used: number, capacity: number | undefined): number | null {
  if (capacity === undefined || capacity <= 0) return null;
  if (used >= capacity) return 0;
  return Math.floor(((capacity - used) * 10_000) / capacity) / 1000;
}

/** The default scores, with equal weights as in Kubernetes. */
export const DEFAULT_SCORES: readonly ScorePlugin[] = [selectorSpread, leastAllocated];
