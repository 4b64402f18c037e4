import { describe, expect, it } from "vitest";
import { ACTOR_KINDS } from "../actors/registry.js";
import { RESOURCES } from "./kinds.js";
import { commandOf, createCommandOf, deleteCommandOf, updateCommandOf } from "./manifestCommands.js";
import { StatusError } from "./status.js";

describe("the manifest → command mapping shared by coxctl and the HTTP API", () => {
  it.each(RESOURCES.filter((r) => ACTOR_KINDS[r]))("names commands that the %s actor takes: a manifest for create and update, and a delete", (resource) => {
    const commands = ACTOR_KINDS[resource]!.decider.commands;
    expect(commands[createCommandOf(resource)]).toMatchObject({ manifest: true });
    const update = updateCommandOf(resource);
    if (update !== undefined) expect(commands[update]).toMatchObject({ manifest: true });
    expect(commands[deleteCommandOf(resource)]).toBeDefined();
  });

  it("refuses a verb the kind does not serve with Kubernetes' 405 MethodNotAllowed, for coxctl and HTTP alike", () => {
    let refusal: unknown;
    try { commandOf("configmaps", "scale"); } catch (err) { refusal = err; }
    expect(refusal).toBeInstanceOf(StatusError);
    expect(refusal).toMatchObject({ reason: "MethodNotAllowed", message: "scale is not supported on configmaps" });
    expect(() => commandOf("pods", "scale")).toThrow("scale is not supported on pods");
    expect(commandOf("replicationcontrollers", "scale")).toBe("ScaleReplicationController");
  });
});
