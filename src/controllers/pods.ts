/** What every controller reads off a pod the same way: whether it still counts, is ready, how often it restarted. Pure. */
import type { Pod } from "../api/pod.js";

/** True while the pod counts towards its controller and its node: not Succeeded/Failed and not being deleted. Pure. */
export function isActive(pod: Pod): boolean {
  const { phase } = pod.status;
  return phase !== "Succeeded" && phase !== "Failed" && pod.metadata.deletionTimestamp === undefined;
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
