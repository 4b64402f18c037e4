/** What every controller reads off a pod the same way: whether it still counts, is ready, how often it restarted. Pure. */
import type { Pod } from "../api/pod.js";

/** True while the pod counts towards its controller and its node: not Succeeded/Failed and not being deleted. Pure. */
export function isActive(pod: Pod): boolean {
  const { phase } = pod.status;
  return phase !== "Succeeded" && phase !== "Failed" && pod.metadata.deletionTimestamp === undefined;
}

/**
 * True when the pod tolerates its node's loss for good: a toleration of the NoExecute taints a node that is not ready
 * or unreachable gets (`node.kubernetes.io/not-ready`, `node.kubernetes.io/unreachable`) without `tolerationSeconds`,
 * as a DaemonSet's pods have. Such a pod is not evicted from a lost node. Pure.
 */
export function toleratesNodeLoss(pod: Pod): boolean {
  const forever = (key: string) => (pod.spec.tolerations ?? []).some((t) => t.tolerationSeconds === undefined
    && (t.effect === undefined || t.effect === "NoExecute")
    && (t.operator === "Exists" ? t.key === undefined || t.key === "" || t.key === key : t.key === key && (t.value ?? "") === ""));
  return forever("node.kubernetes.io/not-ready") && forever("node.kubernetes.io/unreachable");
}

/** True when the pod's `Ready` condition is True. Pure. */
export function isReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** The sum of its containers' restart counts. Pure. */
export function restartCount(pod: Pod): number {
  return (pod.status.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0);
}

/** Milliseconds since the epoch of the pod's creation (NaN-safe: 0 when unparsable). Pure. */
export function createdAtMs(pod: Pod): number {
  const t = Date.parse(pod.metadata.creationTimestamp);
  return Number.isNaN(t) ? 0 : t;
}
