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

/** When the pod is (or will be) available: ready for `minReadySeconds`, in wall-clock ms; undefined while it is not ready. Pure. */
export function availableFrom(pod: Pod, minReadySeconds: number): number | undefined {
  if (!isReady(pod)) return undefined;
  const since = Date.parse(pod.status.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime ?? "");
  return minReadySeconds === 0 || Number.isNaN(since) ? 0 : since + minReadySeconds * 1000;
}

/** Whether the pod is available at wall-clock `nowMs` (ready for `minReadySeconds`). Pure. */
export function isAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return (availableFrom(pod, minReadySeconds) ?? Number.POSITIVE_INFINITY) <= nowMs;
}

/** Of `pods`: how many are ready, how many available at `nowMs`, and when the next ready one becomes available. Pure. */
export function availability(pods: readonly Pod[], minReadySeconds: number, nowMs: number): { ready: number; available: number; nextAt?: number } {
  let ready = 0;
  let available = 0;
  let nextAt: number | undefined;
  for (const pod of pods) {
    const from = availableFrom(pod, minReadySeconds);
    if (from === undefined) continue;
    ready++;
    if (from <= nowMs) available++;
    else nextAt = Math.min(nextAt ?? from, from);
  }
  return { ready, available, ...(nextAt === undefined ? {} : { nextAt }) };
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
