/**
 * The cronjob controller's Events, as Kubernetes reports them on a CronJob, read off its Jobs' stream (a Job with
 * the CronJob as its controller is one only that controller makes):
 * - SuccessfulCreate ("Created job x") when such a Job is created, but for one kubectl made by hand (`kubectl create job --from=cronjob/x`);
 * - SawCompletedJob ("Saw completed job: x, condition: Complete", or Failed) when its status gains either;
 * - SuccessfulDelete ("Deleted job x") when it is deleted (the history limits, Replace, the CronJob's own deletion).
 * Pure.
 */
import { controllingCronJob } from "../../api/cronJob.js";
import { jobHas, type JobStatus } from "../../api/job.js";
import { COMPONENTS, draft, ownerReference, type EventDraft, type MetaOf, type ObjectLookup, type StreamFact } from "./facts.js";

const CRONJOB = { resource: "cronjobs", kind: "CronJob", apiVersion: "batch/v1" } as const;
/** The annotation kubectl puts on a Job it makes from a CronJob's template. */
const MANUAL = "cronjob.kubernetes.io/instantiate";
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
  // `kubectl create job --from=cronjob/x` makes a Job the CronJob controls too, marked as made by hand: not the controller's.
  if (!before && after) return after.metadata.annotations?.[MANUAL] === "manual" ? [] : event("SuccessfulCreate", `Created job ${name}`);
  if (before && !after) return event("SuccessfulDelete", `Deleted job ${name}`);
  if (!before || !after || fact.event.type !== "JobStatusRecorded") return [];
  const gained = (type: string) => jobHas(after, type) && !jobHas(before, type);
  const condition = gained("Complete") ? "Complete" : gained("Failed") ? "Failed" : null;
  return condition ? event("SawCompletedJob", `Saw completed job: ${name}, condition: ${condition}`) : [];
}
