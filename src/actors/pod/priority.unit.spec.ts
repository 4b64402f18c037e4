/** Kubernetes' Priority admission of a pod: its class's value and policy, or the apiserver's refusal. */
import { describe, expect, it } from "vitest";
import type { PodManifest } from "../../api/pod.js";
import { StatusError } from "../../api/status.js";
import type { KindAdmissionContext } from "../kindAdmission.js";
import { admitPriority, PRIORITY_CLASSES, type PriorityClasses } from "./priority.js";

const values: Record<string, number> = { high: 1000, normal: 100, low: 10 };
let defaults: string[] = [];
const classes: PriorityClasses = {
  resolve: async (name) => (values[name] !== undefined ? { value: values[name], preemptionPolicy: name === "high" ? "Never" : "PreemptLowerPriority" } : undefined),
  defaultNames: () => defaults,
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

  it("gives a pod without a class the global default class, named in its spec (of several, the lowest value)", async () => {
    defaults = ["normal"];
    try {
      const m = manifest({});
      await admitPriority(ctx, "web", m);
      expect(m.spec).toMatchObject({ priorityClassName: "normal", priority: 100, preemptionPolicy: "PreemptLowerPriority" });
      expect((await refusal(manifest({ priority: 7 })))?.message).toContain("the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 100");
      defaults = ["normal", "low", "gone"];
      const n = manifest({});
      await admitPriority(ctx, "web", n);
      expect(n.spec).toMatchObject({ priorityClassName: "low", priority: 10 });
      // A pod that names its class keeps it.
      const h = manifest({ priorityClassName: "high" });
      await admitPriority(ctx, "web", h);
      expect(h.spec).toMatchObject({ priorityClassName: "high", priority: 1000 });
    } finally {
      defaults = [];
    }
  });
});
