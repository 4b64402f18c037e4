import { describe, expect, it } from "vitest";
import { replicaConditions } from "./failure.js";

const T0 = "2026-12-06T10:00:00Z";
const T1 = "2026-12-06T10:05:00Z";
const refused = { kind: "failed", reason: "FailedCreate", message: "exceeded quota" } as const;
const failure = { type: "ReplicaFailure", status: "True", lastTransitionTime: T0, reason: "FailedCreate", message: "exceeded quota" } as const;

describe("the ReplicaFailure condition", () => {
  it("is set by a refused sync when there is none, with the refusal's reason and message", () => {
    expect(replicaConditions(undefined, refused, T0)).toEqual([failure]);
    expect(replicaConditions([], { kind: "failed", reason: "FailedDelete", message: "no" }, T0)).toEqual([{ ...failure, reason: "FailedDelete", message: "no" }]);
  });

  it("stays as it is while the refusals go on, even with another message (as Kubernetes keeps it)", () => {
    expect(replicaConditions([failure], { ...refused, message: "another" }, T1)).toEqual([failure]);
  });

  it("stays through a sync that tried nothing, and goes with one that did its work", () => {
    expect(replicaConditions([failure], { kind: "waiting" }, T1)).toEqual([failure]);
    expect(replicaConditions([failure], { kind: "done" }, T1)).toBeUndefined();
    expect(replicaConditions(undefined, { kind: "done" }, T1)).toBeUndefined();
  });

  it("leaves other conditions alone", () => {
    const other = { type: "Other", status: "False" } as const;
    expect(replicaConditions([other, failure], { kind: "done" }, T1)).toEqual([other]);
    expect(replicaConditions([other], refused, T0)).toEqual([other, failure]);
  });
});
