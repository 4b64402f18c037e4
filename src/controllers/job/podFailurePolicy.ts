/**
 * A Job's pod failure policy applied to one failed pod, as Kubernetes' job controller applies it: the rules are tried
 * in order and the first that matches decides. An `onExitCodes` rule matches a container (then an init container)
 * that ended with a non-zero exit code (of the named container, when it names one) in or not in its values; an
 * `onPodConditions` rule matches a condition of the pod with the type and status of one of its patterns. No rule
 * matching: the failure counts, as without a policy. Pure.
 */
import type { PodFailurePolicy, PodFailurePolicyRule } from "../../api/jobPodFailurePolicy.js";
import type { Pod } from "../../api/pod.js";

/** What the policy says of one failed pod: its action, and for FailJob the Job's Failed message. */
export interface PolicyVerdict {
  action: "FailJob" | "Ignore" | "Count";
  message?: string;
}

type Status = { name: string; state: { terminated?: { exitCode: number } | undefined } };

/** The first container status of `list` that `on` matches. Pure. */
function matchingContainer(list: readonly Status[] | undefined, on: NonNullable<PodFailurePolicyRule["onExitCodes"]>): { name: string; exitCode: number } | undefined {
  for (const c of list ?? []) {
    const code = c.state.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (on.containerName !== undefined && on.containerName !== c.name) continue;
    if (on.values.includes(code) === (on.operator === "In")) return { name: c.name, exitCode: code };
  }
  return undefined;
}

/** The verdict of `policy` on `pod`, a failed pod (undefined policy or no matching rule: Count). Pure. */
export function podFailureVerdict(policy: PodFailurePolicy | undefined, pod: Pod): PolicyVerdict {
  const where = `${pod.metadata.namespace ?? ""}/${pod.metadata.name}`;
  for (const [index, rule] of (policy?.rules ?? []).entries()) {
    let why: string | undefined;
    if (rule.onExitCodes) {
      const statuses = pod.status as { containerStatuses?: Status[]; initContainerStatuses?: Status[] };
      const c = matchingContainer(statuses.containerStatuses, rule.onExitCodes) ?? matchingContainer(statuses.initContainerStatuses, rule.onExitCodes);
      if (c) why = `Container ${c.name} for pod ${where} failed with exit code ${c.exitCode}`;
    } else {
      const found = (rule.onPodConditions ?? []).find((p) => pod.status.conditions?.some((c) => c.type === p.type && c.status === p.status));
      if (found) why = `Pod ${where} has condition ${found.type}`;
    }
    if (why === undefined) continue;
    // FailIndex is refused at admission (no backoffLimitPerIndex here); were one stored, it counts.
    if (rule.action === "FailJob") return { action: "FailJob", message: `${why} matching FailJob rule at index ${index}` };
    return { action: rule.action === "Ignore" ? "Ignore" : "Count" };
  }
  return { action: "Count" };
}
