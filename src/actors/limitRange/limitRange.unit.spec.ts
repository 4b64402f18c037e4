import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { limitRangeKind } from "./index.js";

const decider = limitRangeKind.decider;
const command = commandOf(decider, meta({ namespace: "team", name: "defaults", uid: "u-lr", time: "2026-12-08T00:00:00Z" }));
const manifest = { metadata: { name: "defaults" }, spec: { limits: [{ type: "Container", max: { cpu: "2" } }] } };
type Created = { type: string; data: { object: Record<string, unknown> } };

describe("the LimitRange actor", () => {
  it("stores a Container item with Kubernetes' defaults; the host's ResolveLimitRange records nothing", () => {
    const [created] = given(decider).when(command("CreateLimitRange", manifest as never)).then(() => undefined) as unknown as Created[];
    expect(created?.data.object).toEqual({
      kind: "LimitRange", spec: { limits: [{ type: "Container", max: { cpu: "2" }, default: { cpu: "2" }, defaultRequest: { cpu: "2" } }] },
      metadata: { name: "defaults", namespace: "team", uid: "u-lr", creationTimestamp: "2026-12-08T00:00:00Z" },
    });
    expect(Object.keys(decider.commands).sort()).toEqual(["CreateLimitRange", "DeleteLimitRange", "ResolveLimitRange", "UpdateLimitRange"]);
    const history = given(decider).when(command("CreateLimitRange", manifest as never)).then(() => undefined);
    given(decider, history).when(command("ResolveLimitRange" as never, {} as never)).then([]);
    expect(limitRangeKind.namesPerNamespace).toEqual({ added: "LimitRangeCreated", removed: "LimitRangeDeleted" });
  });
});
