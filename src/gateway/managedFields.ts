/**
 * Where the gateway keeps an object's `metadata.managedFields` (server-side apply's field ownership): in the
 * annotation `coxswain.io/managed-fields`, which every kind already stores and every update replaces whole, so the
 * actors need no field of their own for it. Objects leaving the gateway show it as `metadata.managedFields` (the
 * annotation hidden); NATS readers see the annotation. Pure.
 */
import type { IncomingMessage } from "node:http";
import { recordUpdate } from "../api/patch/index.js";
import type { JsonObject } from "../api/patch/index.js";

/** The annotation that holds the managedFields list as JSON. */
export const MANAGED_FIELDS_ANNOTATION = "coxswain.io/managed-fields";

type Meta = { annotations?: Record<string, string>; managedFields?: unknown };

/** The object as clients see it: the annotation turned back into `metadata.managedFields`. */
export function revealManagedFields(object: Record<string, unknown>): Record<string, unknown> {
  const meta = object.metadata as Meta | undefined;
  const stored = meta?.annotations?.[MANAGED_FIELDS_ANNOTATION];
  if (!meta || stored === undefined) return object;
  const { [MANAGED_FIELDS_ANNOTATION]: _hidden, ...annotations } = meta.annotations ?? {};
  let managedFields: unknown;
  try {
    managedFields = JSON.parse(stored);
  } catch {
    return object;
  }
  const { annotations: _a, ...rest } = meta;
  return { ...object, metadata: { ...rest, ...(Object.keys(annotations).length > 0 ? { annotations } : {}), managedFields } };
}

/** The object as it is stored: `metadata.managedFields` moved into the annotation (removed when empty). */
export function storeManagedFields(object: Record<string, unknown>): Record<string, unknown> {
  const meta = object.metadata as Meta | undefined;
  if (!meta || !("managedFields" in meta)) return object;
  const { managedFields, ...rest } = meta;
  const annotations = { ...(rest.annotations ?? {}) };
  delete annotations[MANAGED_FIELDS_ANNOTATION];
  if (Array.isArray(managedFields) && managedFields.length > 0) annotations[MANAGED_FIELDS_ANNOTATION] = JSON.stringify(managedFields);
  const { annotations: _a, ...others } = rest;
  return { ...object, metadata: { ...others, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } };
}

/** The field manager of a write: `?fieldManager=`, else the client's name from its User-Agent (`kubectl`), as the apiserver does. */
export function fieldManagerOf(q: URLSearchParams, req: IncomingMessage): string {
  const given = q.get("fieldManager");
  if (given) return given;
  const agent = req.headers["user-agent"] ?? "";
  return agent.split("/")[0]?.trim() || "unknown";
}

/** A create or update by `manager`: its Update entry in the object's managedFields (v1 objects only). */
export function recordWrite(old: Record<string, unknown> | undefined, next: Record<string, unknown>, manager: string): Record<string, unknown> {
  return recordUpdate(old as JsonObject | undefined, next as JsonObject, manager, new Date().toISOString().replace(/\.\d+Z$/, "Z")) as Record<string, unknown>;
}
