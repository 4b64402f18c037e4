/**
 * What the Job controller does for one Job, from the Job and the pods it owns: the pods to create (up to
 * `parallelism` at once, no more than the completions still wanted), the pods to delete (beyond `parallelism`, all
 * that still run once the Job has failed or has its completions, or while it is suspended) and the status to record,
 * as Kubernetes' job controller decides it for a non-indexed Job. Without `completions` the Job is a work queue: once
 * a pod has succeeded no pod is started, and it completes when none runs. A pod's name is its Job's name and a suffix
 * drawn from the Job's uid and the pod's index, so the same pod asked for twice (a view that lags its creates) is
 * refused as taken, never made twice. The counts are those of the pods that exist, never lower than recorded (a
 * finished pod deleted later is not uncounted). After a pod failed (`restartPolicy: Never`), the next is made only
 * once the back-off has passed since the last failure: 10 s, doubling with each failure since the last success, at
 * most 10 min, as Kubernetes' job controller waits. Its pod failure policy (podFailurePolicy.ts) may fail the Job at a
 * pod's failure (`PodFailurePolicy`) or leave a failure uncounted (Ignore). A finished Job is left as it is, and is due for deletion
 * `ttlSecondsAfterFinished` after it finished. Pure.
 */
import { generatedName } from "../generatedName.js";
import { jobHas, type JobCondition, type JobSpec, type JobStatus } from "../../api/job.js";
import type { Pod } from "../../api/pod.js";
import { podFailureVerdict } from "./podFailurePolicy.js";

/** What a sync of a Job does. */
export interface JobDecision {
  create: string[];
  delete: string[];
  status: JobStatus;
  /** Wall-clock ms when the back-off after a failed pod ends, while a pod waits for it. */
  backoffUntil?: number;
}

/**
 * The back-off before the next pod after `failures` failed ones since the last success: 10 s, doubling, at most
 * 10 min (Kubernetes' job controller's `MaxJobPodFailureBackOff`; its documentation says six). Pure.
 */
export function jobBackoffMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(10_000 * 2 ** (failures - 1), 600_000);
}

/** When the pod failed: the latest time one of its containers finished, if any is known. Pure. */
function failedAtMs(pod: Pod): number | undefined {
  const times = (pod.status.containerStatuses ?? []).map((c) => Date.parse(c.state.terminated?.finishedAt ?? "")).filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** The name of a Job's `index`-th pod: `<job>-<5 characters>`, as Kubernetes' generated names look. Pure. */
export function jobPodName(job: { name: string; uid: string }, index: number): string {
  return generatedName(job.name, `${job.uid}/${index}`);
}

/** Whether a pod has ended (Succeeded or Failed). Pure. */
function ended(p: Pod): boolean {
  return p.status.phase === "Succeeded" || p.status.phase === "Failed";
}

/** A condition of `type` as the controller sets it, at `now`. Pure. */
function condition(type: string, now: string, reason: string, message: string, status: JobCondition["status"] = "True"): JobCondition {
  return { type, status, reason, message, lastProbeTime: now, lastTransitionTime: now };
}

/** `conditions` with `c` in place of the one of its type, unless that one already has its status. Pure. */
function withCondition(conditions: readonly JobCondition[] | undefined, c: JobCondition): JobCondition[] {
  const list = conditions ?? [];
  if (list.some((x) => x.type === c.type && x.status === c.status)) return [...list];
  return [...list.filter((x) => x.type !== c.type), c];
}

/** The restarts of the containers and init containers of `pods` (an `OnFailure` Job's failures happen in place). Pure. */
function restarts(pods: readonly Pod[]): number {
  const count = (list: readonly { restartCount?: number }[] | undefined) => (list ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0);
  return pods.reduce((n, p) => n + count(p.status.containerStatuses) + count(p.status.initContainerStatuses), 0);
}

/** Why the Job has failed by now, if it has: too many failures, or its deadline passed. Pure. */
function failure(spec: JobSpec, failed: number, active: readonly Pod[], startTime: string, nowMs: number): { reason: string; message: string } | null {
  const limit = spec.backoffLimit ?? 6;
  const inPlace = spec.template.spec.restartPolicy === "OnFailure" && restarts(active) >= Math.max(limit, 1);
  if (failed > limit || inPlace) return { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && nowMs - Date.parse(startTime) >= deadline * 1000) return { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
  return null;
}

/**
 * The failed pods of a Job as its pod failure policy sees them: those that count (toward `backoffLimit` and the
 * back-off; an ignored failure does not), and the first FailJob verdict, by the time the pods failed, then name. Pure.
 */
function policedFailures(spec: JobSpec, owned: readonly Pod[]): { counted: Pod[]; failJob: { reason: string; message: string } | null } {
  const failedPods = owned.filter((p) => p.status.phase === "Failed")
    .sort((a, b) => (failedAtMs(a) ?? 0) - (failedAtMs(b) ?? 0) || a.metadata.name.localeCompare(b.metadata.name));
  const verdicts = failedPods.map((p) => ({ pod: p, verdict: podFailureVerdict(spec.podFailurePolicy, p) }));
  const failJob = verdicts.find((v) => v.verdict.action === "FailJob");
  return {
    counted: verdicts.filter((v) => v.verdict.action !== "Ignore").map((v) => v.pod),
    failJob: failJob ? { reason: "PodFailurePolicy", message: failJob.verdict.message ?? "" } : null,
  };
}

/**
 * The decision for `job` (its spec, status, name and uid), given the pods it owns, the names taken in its
 * namespace and the time (`now` RFC 3339, `nowMs` for the deadline). Pure.
 */
export function decideJob(
  job: { name: string; uid: string; spec: JobSpec; status?: JobStatus | undefined },
  owned: readonly Pod[], taken: (name: string) => boolean, now: string, nowMs: number,
): JobDecision {
  const previous = job.status ?? {};
  const active = owned.filter((p) => !ended(p) && !p.metadata.deletionTimestamp).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name);
  if (jobHas(job, "Complete")) return { create: [], delete: [], status: previous };
  if (jobHas(job, "Failed")) return { create: [], delete: names(active), status: previous };
  const succeeded = Math.max(previous.succeeded ?? 0, owned.filter((p) => p.status.phase === "Succeeded").length);
  const policed = policedFailures(job.spec, owned);
  const failed = Math.max(previous.failed ?? 0, policed.counted.length);
  const ready = active.filter((p) => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
  const counts = { active: active.length, succeeded, failed, ready };
  if (job.spec.suspend) {
    // No start while suspended: the deadline runs afresh from the resumption.
    const { startTime: _, ...rest } = previous;
    const conditions = withCondition(previous.conditions, condition("Suspended", now, "JobSuspended", "Job suspended"));
    return { create: [], delete: names(active), status: { ...rest, ...counts, conditions } };
  }
  const startTime = previous.startTime ?? now;
  const resumed = jobHas(job, "Suspended") ? { conditions: withCondition(previous.conditions, condition("Suspended", now, "JobResumed", "Job resumed", "False")) } : {};
  const base: JobStatus = { ...previous, startTime, ...counts, ...resumed };
  const failedNow = policed.failJob ?? failure(job.spec, failed, active, startTime, nowMs);
  if (failedNow) {
    return { create: [], delete: names(active), status: { ...base, conditions: [...(base.conditions ?? []), condition("Failed", now, failedNow.reason, failedNow.message)] } };
  }
  const completions = job.spec.completions;
  const parallelism = job.spec.parallelism ?? 1;
  const complete = { ...base, completionTime: previous.completionTime ?? now, conditions: [...(base.conditions ?? []), condition("Complete", now, "CompletionsReached", "Reached expected number of succeeded pods")] };
  if (completions === undefined) {
    // A work queue: a pod's success says the work is done; those still running finish it, no new one starts.
    if (succeeded > 0) return { create: [], delete: [], status: active.length > 0 ? base : complete };
  } else if (succeeded >= completions) {
    // Complete once nothing runs any more: what still runs is deleted first.
    return active.length > 0 ? { create: [], delete: names(active), status: base } : { create: [], delete: [], status: complete };
  }
  const wantActive = completions === undefined ? parallelism : Math.min(parallelism, completions - succeeded);
  if (active.length > wantActive) return { create: [], delete: names(active.slice(wantActive)), status: base };
  // After a failure, the next pod waits out the back-off from the last one, by the failures since the last success
  // (the finished pods still held tell when).
  const endedAt = (pods: readonly Pod[]) => pods.map((p) => failedAtMs(p) ?? Number.NEGATIVE_INFINITY);
  const lastSuccess = Math.max(...endedAt(owned.filter((p) => p.status.phase === "Succeeded")));
  const failures = endedAt(policed.counted).filter((t) => t > lastSuccess);
  const backoffUntil = Math.max(...failures) + jobBackoffMs(failures.length);
  if (job.spec.template.spec.restartPolicy === "Never" && active.length < wantActive && backoffUntil > nowMs) return { create: [], delete: [], status: base, backoffUntil };
  const create: string[] = [];
  for (let index = 0; create.length < wantActive - active.length; index++) {
    const name = jobPodName(job, index);
    if (!taken(name)) create.push(name);
  }
  return { create, delete: [], status: base };
}

/** When the Job's time-based look is due, in wall-clock ms: its active deadline while it runs, its deletion once finished. Pure. */
export function jobDueAt(job: { spec: JobSpec; status?: JobStatus | undefined }): number | undefined {
  const status = job.status ?? {};
  const finishedAt = finishedTime(status);
  if (finishedAt !== undefined) return job.spec.ttlSecondsAfterFinished === undefined ? undefined : finishedAt + job.spec.ttlSecondsAfterFinished * 1000;
  if (job.spec.suspend || job.spec.activeDeadlineSeconds === undefined || !status.startTime) return undefined;
  return Date.parse(status.startTime) + job.spec.activeDeadlineSeconds * 1000;
}

/** When a finished Job finished (its completion time, or when it failed), in wall-clock ms. Pure. */
function finishedTime(status: JobStatus): number | undefined {
  if (status.completionTime && status.conditions?.some((c) => c.type === "Complete" && c.status === "True")) return Date.parse(status.completionTime);
  const failed = status.conditions?.find((c) => c.type === "Failed" && c.status === "True");
  return failed ? Date.parse(failed.lastTransitionTime ?? status.startTime ?? "") : undefined;
}

/** Whether a finished Job is due for deletion at `nowMs` (its `ttlSecondsAfterFinished` past). Pure. */
export function jobExpired(job: { spec: JobSpec; status?: JobStatus | undefined }, nowMs: number): boolean {
  const due = finishedTime(job.status ?? {}) === undefined ? undefined : jobDueAt(job);
  return due !== undefined && nowMs >= due;
}
