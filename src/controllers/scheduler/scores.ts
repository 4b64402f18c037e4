/** The default scores: spread the pods of one controller across nodes, then prefer the least allocated node. Pure. */
import type { Pod } from "../../api/pod.js";
import { selectorMatches } from "../../api/replicationController.js";
import type { NodeInfo, ScorePlugin, Snapshot } from "./plugins.js";
import { NON_ZERO_DEFAULTS, addAmounts, nodeAllocatable, podRequests } from "./resources.js";

const MAX_SCORE = 10;

/**
 * The test for "a pod of the same controller as `pod`": it matches the selector of a controller that matches `pod`
 * in its namespace or, when no controller does, it carries exactly the same labels. Pure.
 */
export function peerTest(pod: Pod, snapshot: Snapshot): (other: Pod) => boolean {
  return peerGroup(pod, snapshot).isPeer;
}

type PeerGroup = { key: string; isPeer: (other: Pod) => boolean };

// A round keeps one controllers list (withPod shares it), so a pod's group is worked out once per round, not per node.
const groups = new WeakMap<Snapshot["controllers"], WeakMap<Pod, PeerGroup>>();

/** The peer test and a key that names it (two pods with the same key have the same peers). Pure. */
function peerGroup(pod: Pod, snapshot: Snapshot): PeerGroup {
  let byPod = groups.get(snapshot.controllers);
  if (!byPod) groups.set(snapshot.controllers, (byPod = new WeakMap()));
  let group = byPod.get(pod);
  if (!group) byPod.set(pod, (group = computePeerGroup(pod, snapshot)));
  return group;
}

function computePeerGroup(pod: Pod, snapshot: Snapshot): PeerGroup {
  const namespace = pod.metadata.namespace;
  const labels = pod.metadata.labels ?? {};
  const selectors = snapshot.controllers
    .filter((c) => c.namespace === namespace && selectorMatches(c.selector, labels))
    .map((c) => c.selector);
  const sameNamespace = (other: Pod) => other.metadata.namespace === namespace;
  if (selectors.length > 0) {
    return { key: `${namespace}\u0000s${JSON.stringify(selectors)}`, isPeer: (other) => sameNamespace(other) && selectors.some((s) => selectorMatches(s, other.metadata.labels)) };
  }
  const key = labelKey(labels);
  return { key: `${namespace}\u0000l${key}`, isPeer: (other) => sameNamespace(other) && labelKey(other.metadata.labels ?? {}) === key };
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Snapshots and node infos are immutable values (withPod makes new ones), so counts cached on them stay true.
// Without these caches a score was O(nodes × pods per node) per node, and a round over P pods O(P × nodes²).
const peerCounts = new WeakMap<NodeInfo, Map<string, number>>();
const peerMaxima = new WeakMap<Snapshot, Map<string, number>>();

function peersOn(info: NodeInfo, group: { key: string; isPeer: (other: Pod) => boolean }): number {
  let counts = peerCounts.get(info);
  if (!counts) peerCounts.set(info, (counts = new Map()));
  let n = counts.get(group.key);
  if (n === undefined) counts.set(group.key, (n = info.pods.filter(group.isPeer).length));
  return n;
}

/** Kubernetes' SelectorSpreadPriority: 10 on the nodes with the fewest peers, 0 on those with the most. */
export const selectorSpread: ScorePlugin = {
  name: "SelectorSpread",
  weight: 1,
  score(pod, info, snapshot) {
    const group = peerGroup(pod, snapshot);
    let maxima = peerMaxima.get(snapshot);
    if (!maxima) peerMaxima.set(snapshot, (maxima = new Map()));
    let max = maxima.get(group.key);
    if (max === undefined) maxima.set(group.key, (max = Math.max(0, ...snapshot.nodes.map((n) => peersOn(n, group)))));
    return max === 0 ? MAX_SCORE : (MAX_SCORE * (max - peersOn(info, group))) / max;
  },
};

const nonZeroRequested = new WeakMap<NodeInfo, ReturnType<typeof podRequests>>();

/**
 * Kubernetes' LeastRequestedPriority: per resource the node reports, 10 × free / allocatable after placing the pod,
 * averaged over cpu and memory; requests left unstated count as 100m / 200Mi so empty pods spread too.
 */
export const leastAllocated: ScorePlugin = {
  name: "LeastAllocated",
  weight: 1,
  score(pod, info) {
    const allocatable = nodeAllocatable(info.node);
    let onNode = nonZeroRequested.get(info);
    if (!onNode) {
      onNode = info.pods.reduce((sum, p) => addAmounts(sum, podRequests(p, NON_ZERO_DEFAULTS)), { milliCpu: 0n, memory: 0n });
      nonZeroRequested.set(info, onNode);
    }
    const used = addAmounts(onNode, podRequests(pod, NON_ZERO_DEFAULTS));
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
