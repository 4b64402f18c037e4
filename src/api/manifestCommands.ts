/**
 * Which command a client sends to create, replace or delete an object from its manifest: the one mapping that
 * `coxctl create/apply/delete` and the HTTP API's POST/PUT/DELETE share. Pure.
 */
import { RESOURCE_INFO, type Resource } from "./kinds.js";

/** The command that creates an object of `resource` from its manifest (`CreatePod`; `RegisterNode` for nodes). Pure. */
export function createCommandOf(resource: Resource): string {
  return resource === "nodes" ? "RegisterNode" : `Create${RESOURCE_INFO[resource].kind}`;
}

/** The command that replaces an existing object, or undefined when the kind has none (pods: delete and create). Pure. */
export function updateCommandOf(resource: Resource): string | undefined {
  if (resource === "nodes") return "RegisterNode";
  if (resource === "pods") return undefined;
  return `Update${RESOURCE_INFO[resource].kind}`;
}

/** The command that deletes an object of `resource`. Pure. */
export function deleteCommandOf(resource: Resource): string {
  return `Delete${RESOURCE_INFO[resource].kind}`;
}
