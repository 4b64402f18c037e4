/**
 * How server-side apply merges an applied configuration into the live object: maps merge key by key, map lists
 * merge item by item (by their keys), set lists take the union, and scalars and atomic lists take the applied
 * value. Removing what a manager stopped applying is the pruning step, elsewhere.
 */
import { type JsonObject, isObject } from "./body.js";
import { itemKeyToken, valueToken } from "./fieldSet.js";
import { type PatchMetaTable, fieldPath, itemPath } from "./patchMeta.js";

/** The live value with the applied value merged in. Pure: neither argument is changed. */
export function mergeApplied(live: unknown, applied: unknown, table: PatchMetaTable, path = ""): unknown {
  if (isObject(live) && isObject(applied)) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(live[k], v, table, fieldPath(path, k));
    return out;
  }
  const meta = table[path];
  if (!Array.isArray(live) || !Array.isArray(applied) || meta === undefined || meta.listType === "atomic") return structuredClone(applied);
  if (meta.listType === "set") {
    const seen = new Set(live.map(valueToken));
    return [...live, ...applied.filter((v) => !seen.has(valueToken(v)))];
  }
  const id = (item: unknown): string => (isObject(item) ? itemKeyToken(item, meta, path) : valueToken(item));
  const out = [...live];
  for (const item of applied) {
    const at = out.findIndex((v) => id(v) === id(item));
    if (at < 0) out.push(structuredClone(item));
    else out[at] = mergeApplied(out[at], item, table, itemPath(path));
  }
  return out;
}

/** A copy of `value` without null map values (an applied `null` sets nothing). Pure. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
