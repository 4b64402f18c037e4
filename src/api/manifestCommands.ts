/**
 * Which command a client sends to create, replace or delete an object from its manifest: the one mapping that
 * `coxctl create/apply/delete` and the HTTP API's POST/PUT/DELETE share, read off the kinds registry. Pure.
 */
import { RESOURCE_INFO, type Resource } from "./kinds.js";

/** The command that creates an object of `resource` from its manifest (`CreatePod`; `RegisterNode` for nodes). Pure. */
export function createCommandOf(resource: Resource): string {
  return RESOURCE_INFO[resource].commands.create ?? `Create${RESOURCE_INFO[resource].kind}`;
}

/** The command that replaces an existing object (pods: `UpdatePod`, labels, annotations and images), or undefined. Pure. */
export function updateCommandOf(resource: Resource): string | undefined {
  // A node re-registers itself; coxctl keeps sending what the node would (the host decides who may).
  if (resource === "nodes") return "RegisterNode";
  return RESOURCE_INFO[resource].commands.update;
}

/** The command that deletes an object of `resource`. Pure. */
export function deleteCommandOf(resource: Resource): string {
  return RESOURCE_INFO[resource].commands.delete ?? `Delete${RESOURCE_INFO[resource].kind}`;
}
