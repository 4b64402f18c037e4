import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { priorityClassKind } from "./index.js";

const decider = priorityClassKind.decider;
const command = (name: string) => commandOf(decider, meta({ namespace: "_", name, uid: "u-pc", time: "2026-12-07T05:00:00Z" }));
const created = (name: string, value: number) => ({ type: "PriorityClassCreated", data: { object: { kind: "PriorityClass", metadata: { name, uid: "u-pc", creationTimestamp: "2026-12-07T05:00:00Z" }, value } } });

describe("the PriorityClass actor", () => {
  it("refuses a name with the reserved system- prefix, and a change of its value, as the apiserver does", () => {
    given(decider).when(command("system-mine")("CreatePriorityClass" as never, { metadata: { name: "system-mine" }, value: 5 } as never))
      .thenThrows("Invalid", /priority class names with 'system-' prefix are reserved/);
    given(decider, [created("high", 1000)] as never).when(command("high")("UpdatePriorityClass" as never, { metadata: { name: "high" }, value: 2000 } as never))
      .thenThrows("Invalid", /field is immutable/);
    given(decider, [created("high", 1000)] as never).when(command("high")("UpdatePriorityClass" as never, { metadata: { name: "high" }, value: 1000, description: "batch" } as never))
      .then((events) => expect(events.map((e) => e.type)).toEqual(["PriorityClassUpdated"]));
  });

  it("takes Kubernetes' two system classes with their own values only, and holds users' classes to 1,000,000,000", () => {
    given(decider).when(command("system-cluster-critical")("CreatePriorityClass" as never, { metadata: { name: "system-cluster-critical" }, value: 2_000_000_000 } as never))
      .then((events) => expect(events.map((e) => e.type)).toEqual(["PriorityClassCreated"]));
    given(decider).when(command("system-cluster-critical")("CreatePriorityClass" as never, { metadata: { name: "system-cluster-critical" }, value: 5 } as never))
      .thenThrows("Invalid", /priority class names with 'system-' prefix are reserved/);
    given(decider).when(command("huge")("CreatePriorityClass" as never, { metadata: { name: "huge" }, value: 2_000_000_000 } as never))
      .thenThrows("Invalid", /data\.value: must not be greater than 1000000000/);
  });

  it("refuses to delete Kubernetes' own classes, in the apiserver's words", () => {
    given(decider, [created("system-node-critical", 2_000_001_000)] as never).when(command("system-node-critical")("DeletePriorityClass" as never, {} as never))
      .thenThrows("Forbidden", /^priorityclasses\.scheduling\.k8s\.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted$/);
    given(decider, [created("high", 1000)] as never).when(command("high")("DeletePriorityClass" as never, {} as never))
      .then((events) => expect(events.map((e) => e.type)).toEqual(["PriorityClassDeleted"]));
  });

  it("answers ResolvePriorityClass with nothing recorded, and NotFound for a class that does not exist", () => {
    given(decider, [created("high", 1000)] as never).when(command("high")("ResolvePriorityClass" as never, {} as never)).thenNothingHappened();
    given(decider).when(command("nope")("ResolvePriorityClass" as never, {} as never)).thenThrows("NotFound");
  });
});
