/**
 * The namespace controller's decision for one Terminating namespace, from what the view shows in it: delete its
 * controllers of pods first (the kinds that scale: Deployments, ReplicaSets, ReplicationControllers, so that none
 * recreates a pod), then everything else the kinds registry says lives in a namespace and can be deleted, and once
 * nothing is left, finalize it. Command ids derive from the namespace's uid and each object's uid, so a repeat in
 * this or a later term is the same command. Pure.
 * Limit (docs/architecture.md, "Known limits"): a create admitted by a host just before the namespace went Terminating but appended just after can land
 * after FinalizeNamespace (Kubernetes has the same window); waiting a settle time before finalizing would close it.
 */
import { RESOURCES, RESOURCE_INFO, type EntityRef, type Resource } from "../../api/kinds.js";
import type { Namespace } from "../../api/namespace.js";
import { untypedCommand, type AnyCommandType, type OutgoingCommand } from "../../nats/commandClient.js";

const controls = (r: Resource) => RESOURCE_INFO[r].commands.scale !== undefined;

/** The kinds that live in a namespace, controllers of pods first, with their delete command. */
export const NAMESPACED_CONTENT: readonly (readonly [Resource, AnyCommandType])[] = RESOURCES
  .filter((r) => !RESOURCE_INFO[r].clusterScoped && RESOURCE_INFO[r].commands.delete !== undefined && !RESOURCE_INFO[r].goesWithNamespace)
  .sort((a, b) => Number(controls(b)) - Number(controls(a)))
  // the registry names the kind's delete command (src/api/manifestCommands.unit.spec.ts checks its actor takes it)
  .map((r) => [r, RESOURCE_INFO[r].commands.delete as AnyCommandType] as const);

/** A namespaced kind the controller empties. */
export type ContentResource = Resource;

/** What the view holds of one object in the namespace. */
export interface ContentObject {
  name: string;
  metadata: { uid: string; deletionTimestamp?: string | undefined };
}

/** The objects the view shows in the namespace, by kind (a kind left out has none). */
export type NamespaceContent = Partial<Record<ContentResource, readonly ContentObject[]>>;

/** A command to send. */
export interface PlannedCommand {
  ref: EntityRef;
  command: OutgoingCommand;
}

/** The id of the delete of one object on behalf of a namespace being deleted. Pure. */
export function deleteCommandId(namespaceUid: string, objectUid: string): string {
  return `ns:${namespaceUid}:delete:${objectUid}`;
}

/** The id of a namespace's finalization. Pure. */
export function finalizeCommandId(namespaceUid: string): string {
  return `ns:${namespaceUid}:finalize`;
}

/**
 * What to send this round for `ns` (Terminating): the deletes still needed (the controllers of pods alone while any
 * of them is live; an object already terminating needs none), or FinalizeNamespace when the namespace is empty. Pure.
 */
export function planNamespaceDeletion(ns: Namespace, content: NamespaceContent): PlannedCommand[] {
  const name = ns.metadata.name;
  const uid = ns.metadata.uid;
  const deletes = (resource: ContentResource, type: AnyCommandType) =>
    (content[resource] ?? [])
      .filter((o) => o.metadata.deletionTimestamp === undefined)
      .map((o) => ({ ref: { resource, namespace: name, name: o.name }, command: untypedCommand({ type, id: deleteCommandId(uid, o.metadata.uid), data: {} }) }));
  const has = (resource: Resource) => (content[resource] ?? []).length > 0;
  // Controllers of pods still live go first; one that is Terminating (its finalizers hold it) makes nothing more, so the
  // rest goes on beside it, as Kubernetes deletes a namespace's content.
  const live = (resource: Resource) => (content[resource] ?? []).some((o) => o.metadata.deletionTimestamp === undefined);
  const controllers = NAMESPACED_CONTENT.filter(([r]) => controls(r) && live(r));
  if (controllers.length > 0) return controllers.flatMap(([resource, type]) => deletes(resource, type));
  if (NAMESPACED_CONTENT.some(([resource]) => has(resource))) {
    return NAMESPACED_CONTENT.flatMap(([resource, type]) => deletes(resource, type));
  }
  return [{ ref: { resource: "namespaces", namespace: "_", name }, command: { type: "FinalizeNamespace", id: finalizeCommandId(uid), data: {} } } satisfies PlannedCommand];
}
