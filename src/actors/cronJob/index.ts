/**
 * CronJob actor (batch/v1): a workload whose status its controller records. When written it gets Kubernetes'
 * defaults: `concurrencyPolicy` Allow, `suspend` false, and history limits of 3 succeeded and 1 failed Jobs. Its name
 * is at most 52 characters, as the apiserver has it: its Jobs' names add eleven.
 */
import { CronJobStatus, cronJobCodec, type CronJobSpec } from "../../api/cronJob.js";
import { invalidField } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** A CronJob's spec as stored: Kubernetes' defaults filled in. Pure. */
export function storedCronJobSpec(spec: CronJobSpec): CronJobSpec {
  return {
    ...spec, concurrencyPolicy: spec.concurrencyPolicy ?? "Allow", suspend: spec.suspend ?? false,
    successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? 3, failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? 1,
  };
}

/** Refuses a name its Jobs' names could not be made from. Pure. */
export function checkCronJobName(name: string): void {
  if (name.length > 52) throw invalidField("cronjobs", name, "data.metadata.name", `Invalid value: "${name}": must be no more than 52 characters`);
}

/** The CronJob's registration. */
export const cronJobKind = plainObjectKind(plainObjectDecider({
  resource: "cronjobs", kind: "CronJob", clusterScoped: false, workload: { status: CronJobStatus, scales: false },
  stored: (fields) => ({ ...fields, spec: storedCronJobSpec(fields.spec as CronJobSpec) }),
  check: (_fields, current, name) => { if (!current) checkCronJobName(name); },
}), cronJobCodec);
