/**
 * What the Job controller does for one Job, from the Job and the pods it owns: the pods to create (up to
 * `parallelism` at once, no more than the completions still wanted), the pods to delete (what still runs once the
 * Job has failed) and the status to record, as Kubernetes' job controller decides it for a non-indexed Job. A pod's
 * name is its Job's name and a suffix drawn from the Job's uid and the pod's index, so the same pod asked for twice
 * (a view that lags its creates) is refused as taken, never made twice. Pure.
 */
import { createHash } from "node:crypto";
import { jobHas, type JobCondition, type JobSpec, type JobStatus } from "../../api/job.js";
import type { Pod } from "../../api/pod.js";

/** What a sync of a Job does. */
export interface JobDecision {
  create: string[];
  delete: string[];
  status: JobStatus;
}

/** The name of a Job's `index`-th pod: `<job>-<5 characters>`, as Kubernetes' generated names look. Pure. */
export function jobPodName(job: { name: string; uid: string }, index: number): string {
  const digest = createHash("sha256").update(`${job.uid}/${index}`).digest();
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return `${job.name.slice(0, 57)}-${[...digest.subarray(0, 5)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

/** Whether a pod has ended (Succeeded or Failed). Pure. */
function ended(p: Pod): boolean {
  return p.status.phase === "Succeeded" || p.status.phase === "Failed";
}

/** A condition of `type` as the controller sets it, at `now`. Pure. */
function condition(type: string, now: string, reason?: string, message?: string): JobCondition {
  return { type, status: "True", ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastProbeTime: now, lastTransitionTime: now };
}

/**
 * The decision for `job` (its spec, status, name and uid), given the pods it owns, the names taken in its
 * namespace and the time (`now` RFC 3339, `nowMs` for the deadline). Pure.
 */
export function decideJob(
  job: { name: string; uid: string; spec: JobSpec; status?: JobStatus | undefined },
  owned: readonly Pod[], taken: (name: string) => boolean, now: string, nowMs: number,
): JobDecision {
  const active = owned.filter((p) => !ended(p) && !p.metadata.deletionTimestamp);
  const succeeded = owned.filter((p) => p.status.phase === "Succeeded").length;
  const failed = owned.filter((p) => p.status.phase === "Failed").length;
  const ready = active.filter((p) => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
  const previous = job.status ?? {};
  const startTime = previous.startTime ?? now;
  const counts = { active: active.length, succeeded, failed, ready };
  const base: JobStatus = { ...previous, startTime, ...counts };
  const finished = jobHas(job, "Complete") || jobHas(job, "Failed");
  if (finished) return { create: [], delete: jobHas(job, "Failed") ? active.map((p) => p.metadata.name) : [], status: { ...base } };
  const fail = (reason: string, message: string): JobDecision => ({
    create: [], delete: active.map((p) => p.metadata.name),
    status: { ...base, active: 0, conditions: [...(previous.conditions ?? []), condition("Failed", now, reason, message)] },
  });
  if (failed > (job.spec.backoffLimit ?? 6)) return fail("BackoffLimitExceeded", "Job has reached the specified backoff limit");
  const deadline = job.spec.activeDeadlineSeconds;
  if (deadline !== undefined && nowMs - Date.parse(startTime) >= deadline * 1000) return fail("DeadlineExceeded", "Job was active longer than specified deadline");
  const completions = job.spec.completions ?? 1;
  if (succeeded >= completions) {
    return { create: [], delete: [], status: { ...base, completionTime: previous.completionTime ?? now, conditions: [...(previous.conditions ?? []), condition("Complete", now)] } };
  }
  const want = Math.max(0, Math.min(job.spec.parallelism ?? 1, completions - succeeded) - active.length);
  const create: string[] = [];
  for (let index = 0; create.length < want; index++) {
    const name = jobPodName(job, index);
    if (!taken(name)) create.push(name);
  }
  return { create, delete: [], status: base };
}
