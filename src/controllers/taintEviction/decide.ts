/**
 * Which pods a node's NoExecute taints drive away, as Kubernetes' taint eviction controller has it: a pod that does
 * not tolerate one of them at once; a pod whose tolerations of them all carry `tolerationSeconds`, that long (the
 * least of them) after the taint was added; a pod that tolerates each for good, never. Pure.
 */
import type { Pod } from "../../api/pod.js";
import { tolerates, type Taint } from "../../api/taints.js";

/** The pods to evict now, and when the next one is due (wall-clock ms), if any is. */
export interface TaintEvictions {
  evict: Pod[];
  nextAt?: number;
}

/** When `pod` must go because of `taints` (the node's NoExecute ones): 0 at once, Infinity never. Pure. */
export function evictionDueAt(pod: Pod, taints: readonly Taint[]): number {
  let due = Number.POSITIVE_INFINITY;
  for (const taint of taints) {
    const matching = (pod.spec.tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    if (matching.some((t) => t.tolerationSeconds === undefined)) continue;
    const seconds = Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds ?? 0)));
    const added = Date.parse(taint.timeAdded ?? "");
    due = Math.min(due, (Number.isNaN(added) ? 0 : added) + seconds * 1000);
  }
  return due;
}

/** The decision for the active pods on a node whose NoExecute taints are `taints`, at wall-clock `nowMs`. Pure. */
export function taintEvictions(taints: readonly Taint[], pods: readonly Pod[], nowMs: number): TaintEvictions {
  const evict: Pod[] = [];
  let nextAt: number | undefined;
  for (const pod of pods) {
    const due = evictionDueAt(pod, taints);
    if (due <= nowMs) evict.push(pod);
    else if (Number.isFinite(due)) nextAt = Math.min(nextAt ?? due, due);
  }
  return { evict, ...(nextAt === undefined ? {} : { nextAt }) };
}
