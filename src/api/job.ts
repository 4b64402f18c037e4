/**
 * batch/v1 Job: pods run to completion. `completions` pods must succeed (default 1), at most `parallelism` run at once
 * (default 1), and more than `backoffLimit` failed pods (default 6) or `activeDeadlineSeconds` past its start fail the
 * Job, unless its `podFailurePolicy` ignores the failure or fails the Job at once (jobPodFailurePolicy.ts). With
 * `parallelism` given and `completions` not, it is a work queue: it completes once a pod has succeeded and
 * none runs. `suspend` deletes its running pods and starts none until it is lifted; `ttlSecondsAfterFinished`
 * deletes the finished Job (and so its pods) that long after it finished. Its pods must not restart always (`restartPolicy` `OnFailure` or `Never`). When written, the Job's pods get the
 * labels Kubernetes gives them (`batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name` and the older
 * `controller-uid`, `job-name`) and, unless `manualSelector`, the selector of its uid (src/actors/job). Its status
 * is its controller's (src/controllers/job).
 */
import { z } from "zod";
import { ageColumn, column, formatAge, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { formatLabelSelector, LabelSelector } from "./labelSelector.js";
import type { ObjectMeta } from "./objectMeta.js";
import { PodTemplateSpec } from "./podSpec.js";
import { PodFailurePolicy, podFailurePolicyIssues } from "./jobPodFailurePolicy.js";

const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");

/** Job spec. */
export const JobSpec = z.strictObject({
  template: PodTemplateSpec,
  completions: Count.optional(),
  parallelism: Count.optional(),
  backoffLimit: Count.optional(),
  activeDeadlineSeconds: z.number().int("must be an integer").positive("must be greater than 0").optional(),
  selector: LabelSelector.optional(),
  manualSelector: z.boolean().optional(),
  suspend: z.boolean().optional(),
  ttlSecondsAfterFinished: Count.optional(),
  completionMode: z.string().optional(),
  podFailurePolicy: PodFailurePolicy.optional(),
}).superRefine((spec, ctx) => {
  const policy = spec.template.spec.restartPolicy;
  if (policy !== "OnFailure" && policy !== "Never") {
    ctx.addIssue({ code: "custom", path: ["template", "spec", "restartPolicy"], message: `Unsupported value: "${policy}": supported values: "OnFailure", "Never"` });
  }
  if (spec.podFailurePolicy) {
    const containers = new Set([...spec.template.spec.containers, ...spec.template.spec.initContainers ?? []].map((c) => c.name));
    for (const issue of podFailurePolicyIssues(spec.podFailurePolicy, policy, containers)) ctx.addIssue({ code: "custom", ...issue });
  }
  if (spec.manualSelector === true && spec.selector === undefined) ctx.addIssue({ code: "custom", path: ["selector"], message: "Required value" });
  // Indexed Jobs are not made here: their pods' indexes, hostnames and completed-index bookkeeping are not kept.
  if (spec.completionMode !== undefined && spec.completionMode !== "NonIndexed") {
    ctx.addIssue({ code: "custom", path: ["completionMode"], message: `Unsupported value: "${spec.completionMode}": supported values: "NonIndexed"` });
  }
});
export type JobSpec = z.infer<typeof JobSpec>;

/** One condition of a Job (Complete, Failed). */
export const JobCondition = z.strictObject({
  type: z.string(), status: z.enum(["True", "False", "Unknown"]), reason: z.string().optional(), message: z.string().optional(),
  lastProbeTime: z.string().optional(), lastTransitionTime: z.string().optional(),
});
export type JobCondition = z.infer<typeof JobCondition>;

/** Job status, written by its controller. */
export const JobStatus = z.strictObject({
  active: Count.optional(),
  succeeded: Count.optional(),
  failed: Count.optional(),
  ready: Count.optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  conditions: z.array(JobCondition).optional(),
});
export type JobStatus = z.infer<typeof JobStatus>;

/** A Job as the controllers read it. */
export interface Job {
  kind: "Job";
  metadata: ObjectMeta;
  spec: JobSpec;
  status?: JobStatus | undefined;
}

/** The Job codec and schemas. */
export const job = groupKindCodec({
  resource: "jobs", kind: "Job", apiVersion: "batch/v1", clusterScoped: false, fields: { spec: JobSpec }, status: JobStatus,
});
export const jobCodec = job.codec;

/** A Job as the columns read it. */
type JobLike = { spec: JobSpec; status?: JobStatus | undefined };

/** Metadata that may name a controller. */
type Owned = { metadata: { ownerReferences?: readonly { kind: string; name: string; uid: string; controller?: boolean | undefined }[] | undefined } };

/** The object of `kind` controlling `object`, by its controller reference, if any. Pure. */
export function controllerOfKind(kind: string, object: Owned): { name: string; uid: string } | undefined {
  return object.metadata.ownerReferences?.find((o) => o.controller && o.kind === kind);
}

/** The Job controlling a pod, by its controller reference, if any (only the job controller makes such pods). Pure. */
export function controllingJob(pod: Owned): { name: string; uid: string } | undefined {
  return controllerOfKind("Job", pod);
}

/** Whether the Job has condition `type` True. Pure. */
export function jobHas(j: { status?: JobStatus | undefined }, type: string): boolean {
  return j.status?.conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}

/** What kubectl 1.32 shows in STATUS: Complete, Failed, Suspended or Running. Pure. */
export function jobStatusWord(j: JobLike): string {
  return jobHas(j, "Complete") ? "Complete" : jobHas(j, "Failed") ? "Failed" : jobHas(j, "Suspended") ? "Suspended" : "Running";
}

/** What kubectl shows in COMPLETIONS: `succeeded/completions`, or for a work queue `succeeded/1 of parallelism`. Pure. */
export function jobCompletionsWord(j: JobLike): string {
  const succeeded = j.status?.succeeded ?? 0;
  if (j.spec.completions !== undefined) return `${succeeded}/${j.spec.completions}`;
  const parallelism = j.spec.parallelism ?? 1;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** The Job columns: NAME STATUS COMPLETIONS DURATION AGE (+ CONTAINERS IMAGES SELECTOR). */
export const jobColumns = [
  nameColumn(),
  column<JobLike>("Status", "string", 0, "Status of the job.", jobStatusWord),
  column<JobLike>("Completions", "string", 0, "The desired number of successfully finished pods the job should be run with.",
    jobCompletionsWord),
  column<JobLike>("Duration", "string", 0, "Time required to complete the job.", (o, now) => {
    if (!o.status?.startTime) return "";
    const end = o.status.completionTime ? Date.parse(o.status.completionTime) : now.getTime();
    return formatAge(end - Date.parse(o.status.startTime));
  }),
  ageColumn(),
  column<JobLike>("Containers", "string", 1, "Names of each container in the template.", (o) => o.spec.template.spec.containers.map((c) => c.name).join(",")),
  column<JobLike>("Images", "string", 1, "Images referenced by each container in the template.", (o) => o.spec.template.spec.containers.map((c) => c.image).join(",")),
  column<JobLike>("Selector", "string", 1, "Label selector of the pods.", (o) => (o.spec.selector ? formatLabelSelector(o.spec.selector) : "")),
];
