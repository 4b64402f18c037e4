/**
 * Small pure pieces that several kinds' deciders share: the delete options, existence checks, Kubernetes-style
 * refusals, the metadata of a new object, and structural equality of plain JSON values.
 */
import { z } from "zod";
import type { Resource } from "../api/kinds.js";
import type { ClientObjectMeta, ObjectMeta } from "../api/objectMeta.js";
import { dropUndefined } from "../api/objectMeta.js";
import { StatusError } from "../api/status.js";
import type { Command, CommandMeta } from "./decider.js";

/** The data of every `Delete<Kind>` command (PROTOCOL.md §1); only pods use the grace period. */
export const DeleteOptions = z.strictObject({ gracePeriodSeconds: z.number().int().nonnegative().optional() });
export type DeleteOptions = z.infer<typeof DeleteOptions>;

/** The data of commands that carry nothing. */
export const NoData = z.strictObject({});
export type NoData = z.infer<typeof NoData>;

/** Returns `object`, or throws NotFound (`pods "web-1" not found`) when the entity does not exist. Pure. */
export function requireExisting<T>(object: T | null, resource: Resource, name: string): T {
  if (object === null) throw new StatusError("NotFound", `${resource} "${name}" not found`, { kind: resource, name });
  return object;
}

/** Throws AlreadyExists when the entity exists. Pure. */
export function requireAbsent(object: unknown, resource: Resource, name: string): void {
  if (object !== null) throw new StatusError("AlreadyExists", `${resource} "${name}" already exists`, { kind: resource, name });
}

/** A Conflict refusal: the command does not fit the entity's current state. Pure. */
export function conflict(resource: Resource, name: string, message: string): StatusError {
  return new StatusError("Conflict", `${resource} "${name}": ${message}`, { kind: resource, name });
}

/** An Invalid refusal naming one field of the command (`data.container`). Pure. */
export function invalidField(resource: Resource, name: string, field: string, message: string): StatusError {
  return new StatusError("Invalid", `${resource} "${name}" is invalid: ${field}: ${message}`, {
    kind: resource, name, causes: [{ field, message }],
  });
}

/**
 * The end of a `switch` over an event union: the state unchanged. `event: never` makes a missing case fail to
 * compile, and an event of a newer schema this code does not know is ignored rather than fatal. Pure.
 */
export function unknownEvent<S>(event: never, state: S): S {
  void event;
  return state;
}

/** The refusal at the end of a `switch` over a command union (unreachable when the union is covered). Pure. */
export function unknownCommand(command: never): StatusError {
  return new StatusError("BadRequest", `unknown command ${(command as Command).type}`);
}

/**
 * The metadata of a new object: the client's metadata plus the system's uid and creation time, and the
 * subject's namespace for namespaced kinds; an empty list of finalizers is none. Pure.
 */
export function newObjectMeta(metadata: ClientObjectMeta, meta: CommandMeta, clusterScoped: boolean): ObjectMeta {
  const namespace = clusterScoped ? undefined : meta.namespace;
  return dropUndefined({ ...metadata, finalizers: finalizersOf(metadata.finalizers), namespace, uid: meta.uid, creationTimestamp: meta.time });
}

/** A list of finalizers, or undefined when there are none (an object keeps no empty list). Pure. */
export function finalizersOf(list: readonly string[] | undefined): string[] | undefined {
  return list && list.length > 0 ? [...list] : undefined;
}

/** Refuses finalizers added to an object being deleted (`next` beside `current`), as the apiserver words it. Pure. */
export function requireNoNewFinalizers(resource: Resource, name: string, next: readonly string[] | undefined, current: readonly string[] | undefined): void {
  const added = [...new Set((next ?? []).filter((f) => !(current ?? []).includes(f)))].sort();
  if (added.length === 0) return;
  const list = `[]string{${added.map((f) => JSON.stringify(f)).join(", ")}}`;
  throw invalidField(resource, name, "data.metadata.finalizers", `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${list}`);
}

/** Structural equality of plain JSON values; key order and undefined-valued keys do not matter. Pure. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = definedKeys(a as Record<string, unknown>);
  const kb = definedKeys(b as Record<string, unknown>);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const IMMUTABLE = "Forbidden: field is immutable when `immutable` is set";

/**
 * Refuses an update that changes any of `fields` of an object whose `immutable` is set (a ConfigMap's, a Secret's
 * data), naming the field under `data.` as every refusal of a command's manifest does; a missing map and an empty
 * one are the same. Pure.
 */
export function requireUnchangedWhenImmutable(resource: Resource, name: string, next: Record<string, unknown>, current: Record<string, unknown> | null, fields: readonly string[]): void {
  if (current?.immutable !== true) return;
  const empty = (v: unknown) => (v !== null && typeof v === "object" && Object.keys(v).length === 0 ? undefined : v);
  for (const field of fields) {
    if (!sameValue(empty(next[field]), empty(current[field]))) throw invalidField(resource, name, `data.${field}`, IMMUTABLE);
  }
}

/**
 * Refuses an update that changes any of the spec's `fields` (a Job's template, a Deployment's selector): the
 * apiserver's `field is immutable`, named under `data.spec.`. Pure.
 */
export function requireSpecUnchanged<S extends Record<string, unknown>>(resource: Resource, name: string, spec: S, current: { spec: S } | null, fields: readonly (keyof S & string)[]): void {
  if (!current) return;
  for (const field of fields) {
    if (!sameValue(spec[field], current.spec[field])) throw invalidField(resource, name, `data.spec.${field}`, "Invalid value: field is immutable");
  }
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

/**
 * `render` and `uidOf` of a kind whose state holds its object (or null): the object is what reads show,
 * and its metadata carries the uid. Pure.
 */
export function objectStateView<O extends { metadata: { uid: string } }>() {
  return {
    render: (state: { object: O | null }) => state.object as Record<string, unknown> | null,
    uidOf: (state: { object: O | null }) => state.object?.metadata.uid,
  };
}
