/**
 * Which command a client sends to create, replace, delete or scale an object: the one mapping that
 * `coxctl create/apply/delete` and the HTTP API's POST/PUT/DELETE/scale share, read off the kinds registry. Pure.
 */
import { RESOURCE_INFO, type Resource } from "./kinds.js";
import { StatusError } from "./status.js";

/** The verbs a kind serves through a command of its own. */
export type CommandVerb = "create" | "update" | "delete" | "scale";

/** The command that does `verb` on an object of `resource`; a kind that does not serve the verb is 405 MethodNotAllowed. Pure. */
export function commandOf(resource: Resource, verb: CommandVerb): string {
  const type = RESOURCE_INFO[resource].commands[verb];
  if (!type) throw new StatusError("MethodNotAllowed", `${verb} is not supported on ${resource}`, { kind: resource });
  return type;
}

/** True when `type` is the command that creates an object of `resource` (admission checks its namespace). Pure. */
export function isCreateCommand(resource: Resource, type: string): boolean {
  return RESOURCE_INFO[resource].commands.create === type;
}

/** The command of the scale subresource of `resource`, or undefined when the kind has none. Pure. */
export function scaleCommandOf(resource: Resource): string | undefined {
  return RESOURCE_INFO[resource].commands.scale;
}

/** The command that creates an object of `resource` from its manifest (`CreatePod`; `RegisterNode` for nodes). Pure. */
export function createCommandOf(resource: Resource): string {
  return commandOf(resource, "create");
}

/**
 * The command `coxctl apply` replaces an existing object with (pods: `UpdatePod`, labels, annotations and images),
 * or undefined. A node re-registers itself, so for nodes it is what the node would send (the host decides who may);
 * the HTTP API's PUT on a node toggles its flags instead (see the gateway's writes). Pure.
 */
export function updateCommandOf(resource: Resource): string | undefined {
  if (resource === "nodes") return createCommandOf(resource);
  return RESOURCE_INFO[resource].commands.update;
}

/** The command that deletes an object of `resource`. Pure. */
export function deleteCommandOf(resource: Resource): string {
  return commandOf(resource, "delete");
}
