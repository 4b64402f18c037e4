/**
 * The job controller's Events, as Kubernetes reports them on a Job:
 * - SuccessfulCreate ("Created pod: x"), read off a pod created with the Job as its controller (only the job
 *   controller makes pods with such a reference);
 * - Completed ("Job completed") when the Job's status gains `Complete`, and a Warning with the reason and message of
 *   `Failed` (BackoffLimitExceeded, DeadlineExceeded) when it gains that.
 * Pure.
 */
import { controllingJob, jobHas, type JobStatus } from "../../api/job.js";
import type { Pod } from "../../api/pod.js";
import { COMPONENTS, draft, ownerReference, referenceTo, type EventDraft, type MetaOf, type ObjectLookup, type StreamFact } from "./facts.js";

const JOB = { resource: "jobs", kind: "Job", apiVersion: "batch/v1" } as const;

/** SuccessfulCreate when the pod event creates a pod a Job controls. Pure. */
export function jobPodEvents(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  if (fact.event.type !== "PodCreated") return [];
  const pod = fact.after as unknown as Pod | null;
  const job = pod && controllingJob(pod);
  if (!pod || !job) return [];
  const ref = ownerReference(lookup, JOB, pod.metadata.namespace ?? "", job.name, job.uid);
  return [draft(ref, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, { component: COMPONENTS.job })];
}

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
