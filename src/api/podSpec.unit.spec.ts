/** A pod's host name, as the kubelet gives it to its containers. */
import { describe, expect, it } from "vitest";
import { PodSpec, podHostname } from "./podSpec.js";
import { podStatus } from "./podColumns.js";

describe("podHostname", () => {
  it("is spec.hostname when given, else the pod's name", () => {
    expect(podHostname("web-0", { hostname: "db-0" })).toBe("db-0");
    expect(podHostname("web-0", {})).toBe("web-0");
  });

  it("cuts a name longer than a DNS label to 63 characters, without the '-' and '.' it then ends with", () => {
    const name = `${"a".repeat(60)}b.-c${"d".repeat(20)}`;
    expect(podHostname(name, {})).toBe(`${"a".repeat(60)}b`);
    expect(podHostname(`${"x".repeat(63)}`, {})).toBe("x".repeat(63));
  });
});

describe("schedulingGates", () => {
  const issues = (spec: Record<string, unknown>) => {
    const r = PodSpec.safeParse({ containers: [{ name: "app", image: "nginx" }], ...spec });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("takes qualified names, each once, and no node named while gated; a gated pod's STATUS is SchedulingGated", () => {
    expect(issues({ schedulingGates: [{ name: "example.com/quota" }, { name: "wait" }] })).toEqual([]);
    expect(issues({ schedulingGates: [{ name: "wait" }, { name: "wait" }] })).toEqual(['schedulingGates.1: Duplicate value: "wait"']);
    expect(issues({ schedulingGates: [{ name: "bad name" }] })[0]).toMatch(/^schedulingGates\.0: Invalid value: "bad name": /);
    expect(issues({ schedulingGates: [{ name: "wait" }], nodeName: "node-1" })).toEqual(["nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"]);
    const gated = { metadata: { name: "p" }, status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] } };
    expect(podStatus(gated as never)).toBe("SchedulingGated");
    expect(podStatus({ ...gated, status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] } } as never)).toBe("Pending");
  });
});
