/**
 * Job actor (batch/v1): a workload whose status its controller records. When written, its pod template gets the
 * labels Kubernetes gives a Job's pods and, unless `manualSelector`, the selector of its uid, so its pods are its
 * own whatever other labels they share; a Job written without labels takes its template's, as Kubernetes defaults
 * them; the selector, the template and the completions never change after creation (the apiserver's `field is
 * immutable`).
 */
import { JobStatus, jobCodec, type JobSpec } from "../../api/job.js";
import { invalidField, requireSpecUnchanged, sameValue } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The label that ties a Job's pods to it by uid, and the one naming it. */
export const JOB_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

/**
 * A Job's spec as stored: Kubernetes' defaults (1 completion, 1 at a time, a backoff limit of 6; no completions when
 * only a parallelism is given: a work queue; NonIndexed, not suspended), its pods labelled with its uid and name, and
 * selected by its uid unless `manualSelector`. Pure.
 */
export function storedJobSpec(spec: JobSpec, job: { name: string; uid: string }): JobSpec {
  // Its name is a label value of its pods: a longer one could make none (the apiserver refuses it so).
  if (!spec.manualSelector && job.name.length > 63) {
    throw invalidField("jobs", job.name, "data.spec.template.labels", `Invalid value: ${JSON.stringify(job.name)}: must be no more than 63 characters`);
  }
  const own = { [JOB_UID_LABEL]: job.uid, [JOB_NAME_LABEL]: job.name, "controller-uid": job.uid, "job-name": job.name };
  const generated = { matchLabels: { [JOB_UID_LABEL]: job.uid } };
  // A selector given without manualSelector must be the one the system makes (an update sends it back), as the apiserver has it.
  if (!spec.manualSelector && spec.selector !== undefined && !sameValue(spec.selector, generated)) {
    throw invalidField("jobs", job.name, "data.spec.selector", `Invalid value: ${JSON.stringify(spec.selector)}: \`selector\` not auto-generated`);
  }
  const template = { ...spec.template, metadata: { ...spec.template.metadata, labels: { ...spec.template.metadata.labels, ...(spec.manualSelector ? {} : own) } } };
  const completions = spec.completions ?? (spec.parallelism === undefined ? 1 : undefined);
  const defaults = {
    ...(completions === undefined ? {} : { completions }), parallelism: spec.parallelism ?? 1, backoffLimit: spec.backoffLimit ?? 6,
    completionMode: spec.completionMode ?? "NonIndexed", suspend: spec.suspend ?? false,
  };
  return { ...spec, ...defaults, template, ...(spec.manualSelector ? {} : { selector: generated }) };
}

/** Refuses an update that changes the selector, the pod template or the completions (a non-indexed Job's). Pure. */
export function checkJob(spec: JobSpec, current: { spec: JobSpec } | null, name: string): void {
  requireSpecUnchanged("jobs", name, spec, current, ["selector", "template", "completions"]);
}

/** The Job's registration. */
export const jobKind = plainObjectKind(plainObjectDecider({
  resource: "jobs", kind: "Job", clusterScoped: false, workload: { status: JobStatus, scales: false },
  stored: (fields, job) => ({ ...fields, spec: storedJobSpec(fields.spec as JobSpec, job) }),
  check: (fields, current, name) => checkJob(fields.spec as JobSpec, current as { spec: JobSpec } | null, name),
  defaultLabels: (fields) => (fields.spec as JobSpec).template.metadata.labels,
}), jobCodec);
