/**
 * Which pods a node's NoExecute taints drive away, as Kubernetes' taint eviction controller has it: a pod that does
 * not tolerate one of them at once; otherwise, of the tolerations it uses for them, the least `tolerationSeconds`
 * after the controller first saw it on the tainted node (a pod whose tolerations of them carry none stays for
 * good). Pure.
 */
import type { Pod } from "../../api/pod.js";
import { tolerates, type Taint } from "../../api/taints.js";

/** The pods to evict now, and when the next one is due (wall-clock ms), if any is. */
export interface TaintEvictions {
  evict: Pod[];
  nextAt?: number;
}

/** How long `pod` may stay despite `taints` (the node's NoExecute ones), in ms: 0 none, Infinity for good. Pure. */
export function toleratedForMs(pod: Pod, taints: readonly Taint[]): number {
  const used = new Set<NonNullable<Pod["spec"]["tolerations"]>[number]>();
  for (const taint of taints) {
    const matching = (pod.spec.tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    matching.forEach((t) => used.add(t));
  }
  const seconds = [...used].flatMap((t) => (t.tolerationSeconds === undefined ? [] : [Math.max(0, t.tolerationSeconds)]));
  return seconds.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...seconds) * 1000;
}

/**
 * The decision for the active pods on a node whose NoExecute taints are `taints`, at wall-clock `nowMs`; `seenSince`
 * tells when the controller first saw each pod there under those taints. Pure.
 */
export function taintEvictions(taints: readonly Taint[], pods: readonly Pod[], seenSince: (pod: Pod) => number, nowMs: number): TaintEvictions {
  const evict: Pod[] = [];
  let nextAt: number | undefined;
  for (const pod of pods) {
    const due = seenSince(pod) + toleratedForMs(pod, taints);
    if (due <= nowMs) evict.push(pod);
    else if (Number.isFinite(due)) nextAt = Math.min(nextAt ?? due, due);
  }
  return { evict, ...(nextAt === undefined ? {} : { nextAt }) };
}
