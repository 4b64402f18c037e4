/**
 * batch/v1 CronJob: a Job made from `jobTemplate` at each time of `schedule` (five cron fields or a descriptor,
 * in `timeZone`, src/api/cronSchedule.ts). `concurrencyPolicy` says what a time does while a Job of an earlier one
 * still runs (Allow: start another; Forbid: skip it; Replace: delete the running ones first); a time missed by more
 * than `startingDeadlineSeconds` is skipped; `suspend` starts nothing; the finished Jobs kept are the newest
 * `successfulJobsHistoryLimit` (3) and `failedJobsHistoryLimit` (1). Its status is its controller's
 * (src/controllers/cronJob).
 */
import { z } from "zod";
import { ageColumn, ageOf, column, nameColumn } from "./column.js";
import { parseSchedule, knownTimeZone } from "./cronSchedule.js";
import { ObjectReference } from "./event.js";
import { groupKindCodec } from "./groupKind.js";
import { controllerOfKind, JobSpec } from "./job.js";
import { formatLabelSelector } from "./labelSelector.js";
import { Annotations, Labels } from "./labels.js";
import type { ObjectMeta } from "./objectMeta.js";

const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");

/** The template of the Jobs a CronJob makes: their labels and annotations (a name given is not used), and their spec. */
export const JobTemplateSpec = z.strictObject({
  metadata: z.strictObject({ name: z.string().optional(), labels: Labels.optional(), annotations: Annotations.optional() }).optional(),
  spec: JobSpec,
});
export type JobTemplateSpec = z.infer<typeof JobTemplateSpec>;

/** CronJob spec. */
export const CronJobSpec = z.strictObject({
  schedule: z.string(),
  timeZone: z.string().optional(),
  startingDeadlineSeconds: Count.optional(),
  concurrencyPolicy: z.string().optional(),
  suspend: z.boolean().optional(),
  jobTemplate: JobTemplateSpec,
  successfulJobsHistoryLimit: Count.optional(),
  failedJobsHistoryLimit: Count.optional(),
}).superRefine((spec, ctx) => {
  if (spec.schedule === "") ctx.addIssue({ code: "custom", path: ["schedule"], message: "Required value" });
  else {
    const parsed = parseSchedule(spec.schedule, spec.timeZone !== undefined && knownTimeZone(spec.timeZone) ? spec.timeZone : "UTC");
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", path: ["schedule"], message: `Invalid value: "${spec.schedule}": ${parsed}` });
  }
  if (spec.timeZone !== undefined && !knownTimeZone(spec.timeZone)) {
    ctx.addIssue({ code: "custom", path: ["timeZone"], message: `Invalid value: "${spec.timeZone}": unknown time zone ${spec.timeZone}` });
  }
  const policy = spec.concurrencyPolicy;
  if (policy !== undefined && !CONCURRENCY_POLICIES.includes(policy)) {
    ctx.addIssue({ code: "custom", path: ["concurrencyPolicy"], message: `Unsupported value: "${policy}": supported values: "Allow", "Forbid", "Replace"` });
  }
});
export type CronJobSpec = z.infer<typeof CronJobSpec>;

/** What a CronJob does at a time while a Job of an earlier time still runs. */
export const CONCURRENCY_POLICIES: readonly string[] = ["Allow", "Forbid", "Replace"];

/** CronJob status, written by its controller: the Jobs it runs, when it last made one and when one last succeeded. */
export const CronJobStatus = z.strictObject({
  active: z.array(ObjectReference).optional(),
  lastScheduleTime: z.string().optional(),
  lastSuccessfulTime: z.string().optional(),
});
export type CronJobStatus = z.infer<typeof CronJobStatus>;

/** A CronJob as the controllers read it. */
export interface CronJob {
  kind: "CronJob";
  metadata: ObjectMeta;
  spec: CronJobSpec;
  status?: CronJobStatus | undefined;
}

/** The CronJob codec and schemas. */
export const cronJob = groupKindCodec({
  resource: "cronjobs", kind: "CronJob", apiVersion: "batch/v1", clusterScoped: false, fields: { spec: CronJobSpec }, status: CronJobStatus,
});
export const cronJobCodec = cronJob.codec;

/** The annotation on a CronJob's Job naming the time it was made for (RFC 3339). */
export const SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/** The CronJob controlling a Job, by its controller reference, if any. Pure. */
export function controllingCronJob(job: Parameters<typeof controllerOfKind>[1]): { name: string; uid: string } | undefined {
  return controllerOfKind("CronJob", job);
}

/** A CronJob as the columns read it. */
type CronJobLike = { spec: CronJobSpec; status?: CronJobStatus | undefined };

/** The CronJob columns: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE (+ CONTAINERS IMAGES SELECTOR). */
export const cronJobColumns = [
  nameColumn(),
  column<CronJobLike>("Schedule", "string", 0, "The schedule in Cron format.", (o) => o.spec.schedule),
  column<CronJobLike>("Timezone", "string", 0, "The time zone name for the given schedule.", (o) => o.spec.timeZone ?? "<none>"),
  column<CronJobLike>("Suspend", "boolean", 0, "This flag tells the controller to suspend subsequent executions.",
    (o) => (o.spec.suspend === undefined ? "<unset>" : o.spec.suspend ? "True" : "False")),
  column<CronJobLike>("Active", "integer", 0, "A list of pointers to currently running jobs.", (o) => o.status?.active?.length ?? 0),
  column<CronJobLike>("Last Schedule", "string", 0, "Information when was the last time the job was successfully scheduled.",
    (o, now) => (o.status?.lastScheduleTime ? ageOf(o.status.lastScheduleTime, now) : "<none>")),
  ageColumn(),
  column<CronJobLike>("Containers", "string", 1, "Names of each container in the template.", (o) => o.spec.jobTemplate.spec.template.spec.containers.map((c) => c.name).join(",")),
  column<CronJobLike>("Images", "string", 1, "Images referenced by each container in the template.", (o) => o.spec.jobTemplate.spec.template.spec.containers.map((c) => c.image).join(",")),
  column<CronJobLike>("Selector", "string", 1, "Label selector of the pods.", (o) => (o.spec.jobTemplate.spec.selector ? formatLabelSelector(o.spec.jobTemplate.spec.selector) : "<none>")),
];
