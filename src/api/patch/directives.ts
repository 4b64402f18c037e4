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
 * A patch value as data: maps carrying `$patch` vanish, `$`-keys (directives) and null values are dropped. Pure.
 */
export function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives).filter((x) => x !== undefined);
  if (!isObject(v)) return v;
  if (PATCH in v) return undefined;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith("$") || x === null) continue;
    const clean = stripDirectives(x);
    if (clean !== undefined) out[k] = clean;
  }
  return out;
}
