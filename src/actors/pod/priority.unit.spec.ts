/** Kubernetes' Priority admission of a pod: its class's value and policy, or the apiserver's refusal. */
import { describe, expect, it } from "vitest";
import type { PodManifest } from "../../api/pod.js";
import { StatusError } from "../../api/status.js";
import type { KindAdmissionContext } from "../kindAdmission.js";
import { admitPriority, PRIORITY_CLASSES, type PriorityClasses } from "./priority.js";

const classes: PriorityClasses = {
  resolve: async (name) => (name === "high" ? { value: 1000, preemptionPolicy: "Never" } : undefined),
};
const ctx = { claims: {} as never, service: <T>(key: { name: string }) => { expect(key.name).toBe(PRIORITY_CLASSES.name); return classes as T; } } as KindAdmissionContext;
const manifest = (spec: Record<string, unknown>) => ({ metadata: { name: "web" }, spec: { containers: [{ name: "c", image: "x" }], ...spec } }) as unknown as PodManifest;
const refusal = async (m: PodManifest) => (await admitPriority(ctx, "web", m).then(() => undefined, (err: unknown) => err)) as StatusError | undefined;

describe("a pod's priority admission", () => {
  it("gives the pod its class's value and preemption policy", async () => {
    const m = manifest({ priorityClassName: "high" });
    await admitPriority(ctx, "web", m);
    expect(m.spec).toMatchObject({ priority: 1000, preemptionPolicy: "Never" });
  });

  it("refuses a class that does not exist, and a priority or policy that is not the class's, in the apiserver's words", async () => {
    expect(await refusal(manifest({ priorityClassName: "nope" }))).toMatchObject({ reason: "Forbidden", message: 'pods "web" is forbidden: no PriorityClass with name nope was found' });
    expect((await refusal(manifest({ priorityClassName: "high", priority: 5 })))?.message)
      .toBe('pods "web" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name');
    expect((await refusal(manifest({ priorityClassName: "high", preemptionPolicy: "PreemptLowerPriority" })))?.message).toContain("the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided");
    expect(await refusal(manifest({ priorityClassName: "high", priority: 1000 }))).toBeUndefined();
  });

  it("leaves a pod without a class as it is, but for a priority other than the 0 Kubernetes computes for it", async () => {
    const m = manifest({});
    await admitPriority(ctx, "web", m);
    expect(m.spec).not.toHaveProperty("priority");
    expect(await refusal(manifest({ priority: 0 }))).toBeUndefined();
    expect((await refusal(manifest({ priority: 7 })))?.message).toContain("the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0");
  });
});
