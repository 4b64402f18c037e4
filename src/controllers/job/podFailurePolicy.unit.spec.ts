import { describe, expect, it } from "vitest";
import { job as jobKind, type JobSpec } from "../../api/job.js";
import type { PodFailurePolicy } from "../../api/jobPodFailurePolicy.js";
import type { Pod } from "../../api/pod.js";
import { decideJob, jobPodName } from "./decide.js";
import { podFailureVerdict } from "./podFailurePolicy.js";

const NOW = "2026-12-06T10:00:00Z";
const terminated = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode, finishedAt: "2026-12-06T09:59:00Z" } } });
const failedPod = (name: string, statuses: object[], conditions: object[] = [], init: object[] = []) =>
  ({ kind: "Pod", metadata: { name, namespace: "default", uid: `uid-${name}` }, spec: {}, status: { phase: "Failed", containerStatuses: statuses, initContainerStatuses: init, conditions } }) as unknown as Pod;
const policy: PodFailurePolicy = {
  rules: [
    { action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } },
    { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
    { action: "Count", onExitCodes: { operator: "NotIn", values: [1, 2] } },
    { action: "Ignore", onExitCodes: { operator: "In", values: [2] } },
  ],
};

describe("a Job's pod failure policy", () => {
  it("takes the first rule that matches a failed pod, with Kubernetes' FailJob message", () => {
    expect(podFailureVerdict(policy, failedPod("x", [terminated("main", 42)]))).toEqual({ action: "FailJob", message: "Container main for pod default/x failed with exit code 42 matching FailJob rule at index 0" });
    expect(podFailureVerdict(policy, failedPod("x", [terminated("side", 42)])).action).toBe("Count"); // rule 0 names another container; NotIn [1,2] matches
    expect(podFailureVerdict(policy, failedPod("x", [terminated("main", 1)], [{ type: "DisruptionTarget", status: "True" }]))).toEqual({ action: "Ignore" });
    expect(podFailureVerdict(policy, failedPod("x", [terminated("main", 2)]))).toEqual({ action: "Ignore" });
    expect(podFailureVerdict(policy, failedPod("x", [terminated("main", 1)]))).toEqual({ action: "Count" }); // no rule: counted
    expect(podFailureVerdict(policy, failedPod("x", [terminated("main", 0)], [], [terminated("main", 42)])).action).toBe("FailJob"); // init containers too
    expect(podFailureVerdict({ rules: [{ action: "FailJob", onPodConditions: [{ type: "ConfigIssue", status: "True" }] }] }, failedPod("x", [], [{ type: "ConfigIssue", status: "True" }])))
      .toEqual({ action: "FailJob", message: "Pod default/x has condition ConfigIssue matching FailJob rule at index 0" });
    expect(podFailureVerdict(undefined, failedPod("x", [terminated("main", 42)]))).toEqual({ action: "Count" });
  });

  it("fails the Job at once on a FailJob match (PodFailurePolicy), deleting what runs; an ignored failure is not counted and is replaced", () => {
    const template = { metadata: {}, spec: { containers: [{ name: "main", image: "x" }], restartPolicy: "Never", terminationGracePeriodSeconds: 30 } } as JobSpec["template"];
    const j = { name: "pi", uid: "u-1", spec: { template, parallelism: 2, completions: 2, backoffLimit: 0, podFailurePolicy: policy } };
    const running = { ...failedPod(jobPodName(j, 1), []), status: { phase: "Running" } } as unknown as Pod;
    const failed = decideJob(j, [failedPod(jobPodName(j, 0), [terminated("main", 42)]), running], () => true, NOW, Date.parse(NOW));
    expect(failed.delete).toEqual([jobPodName(j, 1)]);
    expect(failed.status.conditions).toEqual([{
      type: "Failed", status: "True", reason: "PodFailurePolicy", message: `Container main for pod default/${jobPodName(j, 0)} failed with exit code 42 matching FailJob rule at index 0`,
      lastProbeTime: NOW, lastTransitionTime: NOW,
    }]);
    const ignored = decideJob(j, [failedPod(jobPodName(j, 0), [terminated("main", 2)]), running], (n) => n !== jobPodName(j, 2), NOW, Date.parse(NOW));
    expect(ignored.status).toMatchObject({ failed: 0, active: 1 });
    expect(ignored.status.conditions).toBeUndefined();
    expect(ignored.create).toEqual([jobPodName(j, 2)]); // no back-off: the failure is not counted
    const counted = decideJob(j, [failedPod(jobPodName(j, 0), [terminated("main", 1)]), running], () => false, NOW, Date.parse(NOW));
    expect(counted.status).toMatchObject({ failed: 1, conditions: [{ type: "Failed", reason: "BackoffLimitExceeded" }] });
  });

  it("is validated as Kubernetes validates it", () => {
    const spec = (restartPolicy: string, podFailurePolicy: unknown) => ({
      metadata: { name: "x" }, spec: { podFailurePolicy, template: { spec: { restartPolicy, containers: [{ name: "main", image: "b" }] } } },
    });
    const refusal = (restartPolicy: string, podFailurePolicy: unknown) => {
      try {
        jobKind.codec.parseManifest("v1", spec(restartPolicy, podFailurePolicy), { namespace: "default", name: "x" });
      } catch (err) {
        return (err as Error).message;
      }
      return "accepted";
    };
    expect(refusal("Never", policy)).toBe("accepted");
    expect(refusal("OnFailure", { rules: [] })).toBe('Job "x" is invalid: data.spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified');
    expect(refusal("Never", { rules: [{ action: "Restart", onExitCodes: { operator: "In", values: [1] } }] })).toMatch(/rules\[0\].action: Unsupported value: "Restart": supported values: "Count", "FailIndex", "FailJob", "Ignore"/);
    expect(refusal("Never", { rules: [{ action: "FailIndex", onExitCodes: { operator: "In", values: [1] } }] })).toMatch(/rules\[0\].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set/);
    expect(refusal("Never", { rules: [{ action: "FailJob" }] })).toMatch(/rules\[0\]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required/);
    expect(refusal("Never", { rules: [{ action: "FailJob", onExitCodes: { operator: "In", values: [0] } }] })).toMatch(/values\[0\]: Invalid value: 0: must not be 0 for the In operator/);
    expect(refusal("Never", { rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [3, 1] } }] })).toMatch(/onExitCodes.values: Invalid value: \[3,1\]: must be ordered/);
    expect(refusal("Never", { rules: [{ action: "FailJob", onExitCodes: { containerName: "other", operator: "In", values: [1] } }] }))
      .toMatch(/containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template/);
    expect(refusal("Never", { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "Maybe" }] }] })).toMatch(/onPodConditions\[0\].status: Unsupported value: "Maybe"/);
  });
});
