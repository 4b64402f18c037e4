/** The default scores: spread the pods of one controller across nodes, then prefer the least allocated node. Pure. */
import type { ScorePlugin } from "./plugins.js";
import { NON_ZERO_DEFAULTS, addAmounts, nodeAllocatable, podRequests } from "./resources.js";

const MAX_SCORE = 10;

/**
 * Kubernetes' SelectorSpreadPriority: 10 on the nodes with the fewest peers (peers.ts), 0 on those with the most.
 * The counts come from the snapshot, which keeps them per peer group (no scan of the nodes' pods per score).
 */
export const selectorSpread: ScorePlugin = {
  name: "SelectorSpread",
  weight: 1,
  score(pod, info, snapshot) {
    const max = snapshot.spread.maxPeers(pod);
    return max === 0 ? MAX_SCORE : (MAX_SCORE * (max - snapshot.spread.peersOn(pod, info.name))) / max;
  },
};

/**
 * Kubernetes' LeastRequestedPriority: per resource the node reports, 10 × free / allocatable after placing the pod,
 * averaged over cpu and memory; requests left unstated count as 100m / 200Mi so empty pods spread too.
 */
export const leastAllocated: ScorePlugin = {
  name: "LeastAllocated",
  weight: 1,
  score(pod, info) {
    const allocatable = nodeAllocatable(info.node);
    const used = addAmounts(info.nonZeroRequested, podRequests(pod, NON_ZERO_DEFAULTS));
    const parts = [fraction(used.milliCpu, allocatable.milliCpu), fraction(used.memory, allocatable.memory)].filter((x) => x !== null);
    return parts.length === 0 ? 0 : parts.reduce((a, b) => a + b, 0) / parts.length;
  },
};

/** 10 × (capacity − used) / capacity, clamped at 0; null when the capacity is unknown or zero. */
function fraction(used: bigint, capacity: bigint | undefined): number | null {
  if (capacity === undefined || capacity <= 0n) return null;
  if (used >= capacity) return 0;
  // Scaled to thousandths in bigint first so huge byte counts do not lose precision as floats.
  return Number(((capacity - used) * 10_000n) / capacity) / 1000;
}

/** The default scores, with equal weights as in Kubernetes. */
export const DEFAULT_SCORES: readonly ScorePlugin[] = [selectorSpread, leastAllocated];
