/**
 * A Job's `podFailurePolicy`: rules, tried in order against each failed pod, that fail the whole Job (FailJob),
 * leave the failure uncounted (Ignore) or count it toward `backoffLimit` as usual (Count), by the exit codes of its
 * containers or by its conditions; validated as Kubernetes validates it (the template's restartPolicy must be Never).
 * FailIndex needs `backoffLimitPerIndex`, which Indexed Jobs have and this control plane does not make. Pure.
 */
import { z } from "zod";
import type { FieldIssue } from "./manifest.js";

const ExitCode = z.number().int("must be an integer").min(-2147483648).max(2147483647);

/** One rule's exit-code requirement. */
export const OnExitCodes = z.strictObject({
  containerName: z.string().optional(),
  operator: z.enum(["In", "NotIn"]),
  values: z.array(ExitCode).max(255),
});

/** One rule's pod-condition pattern. */
export const OnPodCondition = z.strictObject({
  type: z.string().regex(/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"),
  status: z.enum(["True", "False", "Unknown"]),
});

/** One rule of a pod failure policy. */
export const PodFailurePolicyRule = z.strictObject({
  action: z.enum(["Count", "FailIndex", "FailJob", "Ignore"]),
  onExitCodes: OnExitCodes.optional(),
  onPodConditions: z.array(OnPodCondition).max(20).optional(),
});
export type PodFailurePolicyRule = z.infer<typeof PodFailurePolicyRule>;

/** A Job's pod failure policy. */
export const PodFailurePolicy = z.strictObject({ rules: z.array(PodFailurePolicyRule).max(20) });
export type PodFailurePolicy = z.infer<typeof PodFailurePolicy>;

/** The issues of one exit-code requirement, Kubernetes' checks. Pure. */
function exitCodeIssues(on: z.infer<typeof OnExitCodes>, path: (string | number)[], containers: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (on.containerName !== undefined && !containers.has(on.containerName)) {
    issues.push({ path: [...path, "containerName"], message: `Invalid value: ${JSON.stringify(on.containerName)}: must be one of the container or initContainer names in the pod template` });
  }
  if (on.values.length === 0) issues.push({ path: [...path, "values"], message: "Invalid value: []: at least one value is required" });
  const seen = new Set<number>();
  on.values.forEach((v, j) => {
    if (on.operator === "In" && v === 0) issues.push({ path: [...path, "values", j], message: "Invalid value: 0: must not be 0 for the In operator" });
    if (seen.has(v)) issues.push({ path: [...path, "values", j], message: `Duplicate value: ${v}` });
    seen.add(v);
  });
  if (on.values.some((v, j) => j > 0 && (on.values[j - 1] as number) > v)) issues.push({ path: [...path, "values"], message: `Invalid value: ${JSON.stringify(on.values)}: must be ordered` });
  return issues;
}

/**
 * The issues Kubernetes' validation finds in a Job's pod failure policy, paths relative to the Job's spec; `containers`
 * are the names of the template's containers and init containers. Pure.
 */
export function podFailurePolicyIssues(policy: PodFailurePolicy, restartPolicy: string | undefined, containers: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (restartPolicy === "OnFailure") {
    issues.push({ path: ["template", "spec", "restartPolicy"], message: 'Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified' });
  }
  policy.rules.forEach((rule, i) => {
    const path = ["podFailurePolicy", "rules", i];
    if (rule.action === "FailIndex") issues.push({ path: [...path, "action"], message: 'Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set' });
    if (rule.onExitCodes) issues.push(...exitCodeIssues(rule.onExitCodes, [...path, "onExitCodes"], containers));
    const conditions = (rule.onPodConditions ?? []).length > 0;
    if (rule.onExitCodes && conditions) issues.push({ path, message: "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported" });
    if (!rule.onExitCodes && !conditions) issues.push({ path, message: "Invalid value: specifying one of OnExitCodes and OnPodConditions is required" });
  });
  return issues;
}
