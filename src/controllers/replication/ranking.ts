/** Which pods a replication controller deletes first when it has too many: Kubernetes' ActivePods order. Pure. */
import type { Pod } from "../../api/pod.js";
import { createdAtMs, isReady, restartCount } from "../pods.js";

/** Earlier phases are cheaper to lose: a pod that never ran costs nothing. */
const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Negative when `a` should be deleted before `b`: unscheduled first, then pending before unknown before running,
 * not ready before ready, more restarts first, newer first; the name breaks ties so the order is total. Pure.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const keys: Array<(p: Pod) => number> = [
    (p) => (p.spec.nodeName === undefined ? 0 : 1),
    (p) => PHASE_RANK[p.status.phase] ?? 3,
    (p) => (isReady(p) ? 1 : 0),
    (p) => -restartCount(p),
    (p) => -createdAtMs(p),
  ];
  for (const key of keys) {
    const d = key(a) - key(b);
    if (d !== 0) return d;
  }
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** The `count` pods to delete first, in order. Pure (does not sort `pods` in place). */
export function deletionVictims<P extends { object: Pod }>(pods: readonly P[], count: number): P[] {
  return [...pods].sort((a, b) => compareForDeletion(a.object, b.object)).slice(0, Math.max(0, count));
}
