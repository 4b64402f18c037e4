/**
 * The cronjob controller's Events, as Kubernetes reports them on a CronJob, read off its Jobs' stream (a Job with
 * the CronJob as its controller is one only that controller makes):
 * - SuccessfulCreate ("Created job x") when such a Job is created;
 * - SawCompletedJob ("Saw completed job: x, condition: Complete", or Failed) when its status gains either;
 * - SuccessfulDelete ("Deleted job x") when it is deleted (the history limits, Replace, the CronJob's own deletion).
 * Pure.
 */
import { controllingCronJob } from "../../api/cronJob.js";
import { jobHas, type JobStatus } from "../../api/job.js";
import { COMPONENTS, draft, ownerReference, type EventDraft, type MetaOf, type ObjectLookup, type StreamFact } from "./facts.js";

const CRONJOB = { resource: "cronjobs", kind: "CronJob", apiVersion: "batch/v1" } as const;
type Job = MetaOf & { metadata: { ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[] }; status?: JobStatus };

/** The Events a Job's stream event derives for its CronJob. Pure. */
export function cronJobEvents(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  const [before, after] = [fact.before as unknown as Job | null, fact.after as unknown as Job | null];
  const job = after ?? before;
  const owner = job && controllingCronJob(job);
  if (!job || !owner) return [];
  const ref = () => ownerReference(lookup, CRONJOB, job.metadata.namespace ?? "", owner.name, owner.uid);
  const name = job.metadata.name;
  const event = (reason: string, message: string) => [draft(ref(), "Normal", reason, message, { component: COMPONENTS.cronJob })];
  if (!before && after) return event("SuccessfulCreate", `Created job ${name}`);
  if (before && !after) return event("SuccessfulDelete", `Deleted job ${name}`);
  if (!before || !after || fact.event.type !== "JobStatusRecorded") return [];
  const gained = (type: string) => jobHas(after, type) && !jobHas(before, type);
  const condition = gained("Complete") ? "Complete" : gained("Failed") ? "Failed" : null;
  return condition ? event("SawCompletedJob", `Saw completed job: ${name}, condition: ${condition}`) : [];
}
