import { describe, expect, it } from "vitest";
import { COLUMNS } from "./columns.js";
import type { Column } from "./column.js";
import { defaultedItem, limitRange } from "./limitRange.js";
import type { StatusError } from "./status.js";

const parse = (spec: unknown) => () => limitRange.codec.parseManifest("v1", { metadata: { name: "lr" }, spec }, { namespace: "default", name: "lr" });
const refusal = (spec: unknown) => {
  try {
    parse(spec)();
    return [];
  } catch (err) {
    return ((err as StatusError).toStatus().details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
};

describe("LimitRange", () => {
  it("defaults a Container item as Kubernetes does: the limit from max, the request from the limit, then from min", () => {
    expect(defaultedItem({ type: "Container", max: { cpu: "2" }, min: { memory: "64Mi" } }))
      .toEqual({ type: "Container", max: { cpu: "2" }, min: { memory: "64Mi" }, default: { cpu: "2" }, defaultRequest: { cpu: "2", memory: "64Mi" } });
    expect(defaultedItem({ type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "100m" }, min: { cpu: "50m" } }))
      .toEqual({ type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "100m" }, min: { cpu: "50m" } });
    // Other types are stored as written, and an item with nothing to default stores no empty maps.
    expect(defaultedItem({ type: "Pod", max: { cpu: "4" } })).toEqual({ type: "Pod", max: { cpu: "4" } });
    expect(defaultedItem({ type: "Container", maxLimitRequestRatio: { cpu: "2" } })).toEqual({ type: "Container", maxLimitRequestRatio: { cpu: "2" } });
  });

  it("refuses what the apiserver refuses, after the defaults, each by its field", () => {
    expect(parse({ limits: [{ type: "Container", max: { cpu: "1", memory: "1Gi" }, min: { cpu: "100m" }, maxLimitRequestRatio: { cpu: "4" } }] })).not.toThrow();
    expect(refusal({ limits: [{ type: "Container", min: { cpu: "2" }, max: { cpu: "1" } }] })).toEqual([
      'data.spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      'data.spec.limits[0].defaultRequest[cpu]: Invalid value: "1": min value 2 is greater than default request value 1',
      'data.spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1',
    ]);
    expect(refusal({ limits: [{ type: "Container", default: { cpu: "1" }, defaultRequest: { cpu: "1500m" } }] }))
      .toEqual(['data.spec.limits[0].defaultRequest[cpu]: Invalid value: "1500m": default request value 1500m is greater than default limit value 1']);
    expect(refusal({ limits: [{ type: "Container", max: { cpu: "4" }, min: { cpu: "1" }, maxLimitRequestRatio: { cpu: "10" } }, { type: "Container" }] })).toEqual([
      'data.spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "10": ratio 10 is greater than max/min = 4.000000',
      'data.spec.limits[1].type: Duplicate value: "Container"',
    ]);
    expect(refusal({ limits: [{ type: "Pod", default: { cpu: "1" }, maxLimitRequestRatio: { cpu: "500m" } }] })).toEqual([
      "data.spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
      'data.spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1',
    ]);
    expect(refusal({ limits: [{ type: "Node" }, { type: "PersistentVolumeClaim", max: { cpu: "1" } }, { type: "Container", max: { storage: "1Gi" } }] })).toEqual([
      'data.spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified',
      "data.spec.limits[1].limits: Required value: either minimum or maximum storage value is required, but neither was provided",
      'data.spec.limits[2].max[storage]: Invalid value: "storage": must be a standard resource for containers',
      'data.spec.limits[2].default[storage]: Invalid value: "storage": must be a standard resource for containers',
      'data.spec.limits[2].defaultRequest[storage]: Invalid value: "storage": must be a standard resource for containers',
    ]);
    expect(refusal({ limits: [{ type: "Container", default: { "example.com/gpu": "2" }, defaultRequest: { "example.com/gpu": "1" } }] }))
      .toEqual(['data.spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: "1": default value 2 must equal to defaultRequest value 1 in example.com/gpu']);
    expect(refusal({ limits: [{ max: { cpu: "1" } }] })).toEqual(["data.spec.limits[0].type: Required value"]);
  });

  it("prints NAME and CREATED AT, as kube-apiserver does", () => {
    expect(COLUMNS.limitranges.map((c) => c.name)).toEqual(["Name", "Created At"]);
    const o = { metadata: { name: "lr", creationTimestamp: "2026-12-08T00:00:00Z" } };
    expect(COLUMNS.limitranges.map((c) => (c as unknown as Column<unknown>).cell(o, new Date()))).toEqual(["lr", "2026-12-08T00:00:00Z"]);
  });
});
