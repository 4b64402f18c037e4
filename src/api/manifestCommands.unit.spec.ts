import { describe, expect, it } from "vitest";
import { ACTOR_KINDS } from "../actors/registry.js";
import { RESOURCES } from "./kinds.js";
import { createCommandOf, deleteCommandOf, updateCommandOf } from "./manifestCommands.js";

describe("the manifest → command mapping shared by coxctl and the HTTP API", () => {
  it.each(RESOURCES.filter((r) => ACTOR_KINDS[r]))("names commands that the %s actor takes: a manifest for create and update, and a delete", (resource) => {
    const commands = ACTOR_KINDS[resource]!.decider.commands;
    expect(commands[createCommandOf(resource)]).toMatchObject({ manifest: true });
    const update = updateCommandOf(resource);
    if (update !== undefined) expect(commands[update]).toMatchObject({ manifest: true });
    expect(commands[deleteCommandOf(resource)]).toBeDefined();
  });
});
