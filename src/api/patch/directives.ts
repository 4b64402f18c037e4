/** The directive keys of a strategic merge patch, and turning a patch value into plain data. */
import { StatusError } from "../status.js";
import { type JsonObject, isObject } from "./body.js";

/** The key of the `$patch: replace|delete|merge` directive. */
export const PATCH = "$patch";

/** The field name after a directive prefix (`$setElementOrder/containers` → `containers`), or 400 with `message`. */
export function keyAfter(rawKey: string, prefix: string, message: string): string {
  if (!rawKey.startsWith(prefix) || rawKey.length === prefix.length) throw new StatusError("BadRequest", message);
  return rawKey.slice(prefix.length);
}

/** The JSON kind of a value: `null`, `array`, `object`, or its `typeof`. Pure. */
export function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * A patch value without the maps that carry `$patch` (in maps and lists, at any depth), as the apiserver
 * cleans a value it takes from the patch; other directive keys stay until {@link asDecoded}. Pure.
 */
export function removeDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(removeDirectives).filter((x) => x !== undefined);
  if (!isObject(v)) return v;
  if (PATCH in v) return undefined;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    const clean = removeDirectives(x);
    if (clean !== undefined) out[k] = clean;
  }
  return out;
}

/** A patch value without its null map values (at any depth), as the apiserver adds new fields. Pure. */
export function withoutNullValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNullValues);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNullValues(x)]));
}

/**
 * The merge result as the apiserver stores it after decoding it into the kind's typed object: keys starting
 * with `$` (directives the merge left in values it took whole) and null values are gone; maps stay. Pure.
 */
export function asDecoded(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asDecoded);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k, x]) => !k.startsWith("$") && x !== null).map(([k, x]) => [k, asDecoded(x)]));
}
