/** The scheduling decision for one pod: the best node, or the Kubernetes-style message of why none fits. Pure. */
import type { Pod } from "../../api/pod.js";
import { DEFAULT_FILTERS } from "./filters.js";
import type { NodeInfo, SchedulerPlugins, Snapshot } from "./plugins.js";
import { DEFAULT_SCORES } from "./scores.js";

/** Where the pod goes, or why it cannot go anywhere. */
export type Decision = { nodeName: string; score: number } | { unschedulable: string };

/** The default filters and scores. */
export const DEFAULT_PLUGINS: SchedulerPlugins = { filters: DEFAULT_FILTERS, scores: DEFAULT_SCORES };

/** The reason the first failing filter gives for `node`, or null when every filter passes. Pure. */
export function firstFailure(pod: Pod, node: NodeInfo, snapshot: Snapshot, plugins: SchedulerPlugins): string | null {
  return failureOn(node, plugins.filters.map((f) => f.forPod(pod, snapshot)));
}

/** The reason the first failing per-pod filter gives for `node`, or null. Pure. */
function failureOn(node: NodeInfo, filters: readonly ((node: NodeInfo) => string | null)[]): string | null {
  for (const f of filters) {
    const reason = f(node);
    if (reason !== null) return reason;
  }
  return null;
}

/**
 * How many feasible nodes to find before scoring stops: Kubernetes' adaptive percentageOfNodesToScore
 * (50 % less 1 % per 125 nodes, at least 5 %), and never fewer than 100 nodes, so small clusters are scored whole. Pure.
 */
export function feasibleNodesToFind(nodes: number): number {
  if (nodes <= 100) return nodes;
  const percentage = Math.max(5, 50 - Math.floor(nodes / 125));
  return Math.max(100, Math.floor((nodes * percentage) / 100));
}

/**
 * Filters the nodes from `start` on (wrapping), scores the feasible ones until `feasibleNodesToFind` of them are
 * found, and picks the highest (ties go to the first node in that order, so the same inputs give the same answer).
 * A pod that fits nowhere has filtered every node, so its message counts them all. Pure.
 */
export function schedule(pod: Pod, snapshot: Snapshot, plugins: SchedulerPlugins = DEFAULT_PLUGINS, start = 0): Decision {
  const reasons = new Map<string, number>();
  let best: { nodeName: string; score: number } | null = null;
  const total = snapshot.nodes.length;
  const wanted = feasibleNodesToFind(total);
  const filters = plugins.filters.map((f) => f.forPod(pod, snapshot));
  const scores = plugins.scores.map((s) => ({ weight: s.weight, score: s.forPod(pod, snapshot) }));
  let feasible = 0;
  for (let i = 0; i < total && feasible < wanted; i++) {
    const node = snapshot.nodes[(start + i) % total] as NodeInfo;
    const reason = failureOn(node, filters);
    if (reason !== null) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    feasible++;
    let score = 0;
    for (const s of scores) score += s.weight * s.score(node);
    if (!best || score > best.score) best = { nodeName: node.name, score };
  }
  return best ?? { unschedulable: failureMessage(total, reasons) };
}

/**
 * `0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable.` (Kubernetes' FitError words, which
 * its FailedScheduling Event carries): the count per reason, ordered by the reason's text. (Kubernetes sorts the
 * whole "<count> <reason>" strings; ordering by reason keeps a reason in place as its count changes.) Pure.
 */
export function failureMessage(total: number, reasons: ReadonlyMap<string, number>): string {
  if (total === 0) return "no nodes available to schedule pods";
  const parts = [...reasons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([reason, n]) => `${n} ${reason}`);
  return `0/${total} nodes are available: ${parts.join(", ")}.`;
}
