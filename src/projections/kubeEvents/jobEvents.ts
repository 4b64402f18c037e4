/**
 * The job controller's Events, as Kubernetes reports them on a Job (its pods' SuccessfulCreate: controlledPodEvents.ts):
 * - Completed ("Job completed") when the Job's status gains `Complete`, and a Warning with the reason and message of
 *   `Failed` (BackoffLimitExceeded, DeadlineExceeded) when it gains that.
 * Pure.
 */
import { jobHas, type JobStatus } from "../../api/job.js";
import { COMPONENTS, draft, referenceTo, type EventDraft, type MetaOf, type StreamFact } from "./facts.js";

export const JOB = { resource: "jobs", kind: "Job", apiVersion: "batch/v1" } as const;

/** Completed, or the failure's Warning, when the Job's status gains `Complete` or `Failed`. Pure. */
export function jobStatusEvents(fact: StreamFact): EventDraft[] {
  if (fact.event.type !== "JobStatusRecorded") return [];
  type Job = MetaOf & { status?: JobStatus };
  const [before, after] = [fact.before as unknown as Job | null, fact.after as unknown as Job | null];
  if (!after) return [];
  const gained = (type: string) => jobHas(after, type) && !(before && jobHas(before, type));
  const ref = referenceTo(JOB.kind, after, after.metadata.resourceVersion, undefined, JOB.apiVersion);
  if (gained("Complete")) return [draft(ref, "Normal", "Completed", "Job completed", { component: COMPONENTS.job })];
  if (!gained("Failed")) return [];
  const failed = after.status?.conditions?.find((c) => c.type === "Failed");
  return [draft(ref, "Warning", failed?.reason ?? "Failed", failed?.message ?? "Job failed", { component: COMPONENTS.job })];
}
