/**
 * The kubelet's image-pull back-off, as pure decisions: a container whose image cannot be had is not started; its
 * pod is told `ErrImagePull` (with the pull's error) and, a moment later, `ImagePullBackOff` (`Back-off pulling
 * image "x"`), and the pull is tried again after a delay that doubles from 10 s up to 300 s, Kubernetes' numbers.
 * A pull that succeeds (the Image object has appeared) starts the container at that retry. A container whose
 * variables cannot be made (a ConfigMap or key missing) waits the same way as `CreateContainerConfigError`, retried
 * after 1 s, doubling up to 10 s, so that it starts soon after the ConfigMap appears.
 */
import type { EntityRef } from "../api/kinds.js";
import type { Report } from "./reconcile.js";
import { backoffDelayMs, type Backoff } from "./backoff.js";

/** The kubelet's back-off of image pulls. */
export const KUBELET_PULL_BACKOFF: Backoff = { initialMs: 10_000, maxMs: 300_000 };
/** How a container whose configuration is missing is tried again. */
export const CONFIG_RETRY_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 10_000 };

/** The last failed pull of one attempt of a container. */
export interface PullFailure {
  attempt: number;
  image: string;
  message: string;
  /** Failures of this kind in a row (the delay's count). */
  failures: number;
  /** Failures of this attempt of any kind: names its reports, so that a switch of kind is reported anew. */
  seq: number;
  failedAtMs: number;
  retryAtMs: number;
  /** Not a pull: the container's configuration (a ConfigMap) is missing. */
  config?: true;
}

/** The failure after `previous` (of the same attempt, else a first one), with the next retry's time. Pure. */
export function pullFailed(previous: PullFailure | undefined, attempt: number, image: string, message: string, nowMs: number, backoff: Backoff, config = false): PullFailure {
  const same = previous?.attempt === attempt;
  const failures = same && !!previous.config === config ? previous.failures + 1 : 1;
  const seq = same ? previous.seq + 1 : 1;
  const delay = backoffDelayMs(failures, backoff);
  return { attempt, image, message, failures, failedAtMs: nowMs, retryAtMs: nowMs + delay, seq, ...(config ? { config: true as const } : {}) };
}

/** True while the container's next pull must wait. Pure. */
export function pullWaits(failure: PullFailure | undefined, attempt: number, nowMs: number): boolean {
  return failure !== undefined && failure.attempt === attempt && nowMs < failure.retryAtMs;
}

/**
 * What the pod is told of a failed pull: ErrImagePull at once, then ImagePullBackOff once ErrImagePull has been
 * shown a while (half the delay, at most 5 s). Ids name the failure, so each is sent once. Pure.
 */
export function pullReports(ref: EntityRef, podUid: string, container: string, failure: PullFailure, nowMs: number): Report[] {
  const base = `${podUid}/${container}/${failure.attempt}/pull${failure.seq}`;
  const report = (reason: "ErrImagePull" | "ImagePullBackOff" | "CreateContainerConfigError", message: string): Report => {
    const id = `${base}/${reason}`;
    return { id, ref, command: { type: "ReportContainerWaiting", id, data: { container, reason, message } } };
  };
  if (failure.config) return [report("CreateContainerConfigError", failure.message)];
  const err = report("ErrImagePull", failure.message);
  return nowMs < backOffShownAtMs(failure) ? [err] : [err, report("ImagePullBackOff", `Back-off pulling image "${failure.image}"`)];
}

/** When ErrImagePull gives way to ImagePullBackOff: half the delay after the failure, at most 5 s. Pure. */
function backOffShownAtMs(failure: PullFailure): number {
  return failure.failedAtMs + Math.min(5_000, (failure.retryAtMs - failure.failedAtMs) / 2);
}

/**
 * The moments after a failed pull at which the pod's plan changes with no other change to wake it: ImagePullBackOff
 * is due, then the pull is tried again. The agent plans the pod at each. Pure.
 */
export function pullWakeups(failure: PullFailure): number[] {
  return failure.config ? [failure.retryAtMs] : [backOffShownAtMs(failure), failure.retryAtMs];
}
