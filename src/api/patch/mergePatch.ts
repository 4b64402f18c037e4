/** RFC 7386 JSON merge patch (application/merge-patch+json): applying one, and computing one as a diff. */
import { type JsonObject, isObject } from "./body.js";

/**
 * Applies a merge patch: objects merge key by key, `null` deletes a key, anything else (arrays included)
 * replaces. Pure: neither argument is changed.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/**
 * The merge patch that turns `from` into `to` (both objects): removed keys as `null`, changed values
 * recursively for objects and whole otherwise. Objects holding `null` values cannot be reached by a merge patch
 * (RFC 7386 §1), so `to` should hold none. Pure.
 */
export function createMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    const before = from[key];
    if (isObject(before) && isObject(value)) {
      const inner = createMergePatch(before, value);
      if (Object.keys(inner).length > 0) patch[key] = inner;
    } else if (!jsonEqual(before, value)) {
      patch[key] = structuredClone(value);
    }
  }
  return patch;
}

/** Deep equality of JSON values (key order in objects does not matter). Pure. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}
