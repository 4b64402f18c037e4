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
  const id = (item: unknown): string => (meta.listType === "map" && isObject(item) ? itemKeyToken(item, meta, path) : valueToken(item));
  return mergeItemsInOrder(live, applied, id, (l, r) => (l === undefined ? structuredClone(r) : mergeApplied(l, r, table, itemPath(path))));
}

/**
 * The items of a live and an applied list merged in structured-merge-diff's order: applied items in the applied
 * order, live-only items where they stood among them, items present in both merged. Pure.
 */
export function mergeItemsInOrder(lhs: unknown[], rhs: unknown[], id: (v: unknown) => string, merge: (l: unknown, r: unknown) => unknown): unknown[] {
  const lhsIds = lhs.map(id);
  const rhsIds = rhs.map(id);
  const inLhs = new Map(lhsIds.map((k, i) => [k, lhs[i]]));
  const inRhs = new Set(rhsIds);
  const shared = rhsIds.filter((k) => inLhs.has(k));
  const emitted = new Set<string>();
  const out: unknown[] = [];
  let [l, r, s] = [0, 0, 0];
  while (l < lhs.length || r < rhs.length) {
    const lk = lhsIds[l];
    if (lk !== undefined && r < rhs.length) {
      if (lk === rhsIds[r]) {
        out.push(merge(lhs[l], rhs[r]));
        emitted.add(lk);
        [l, r, s] = [l + 1, r + 1, s + 1];
        continue;
      }
      if (inRhs.has(lk) && shared[s] !== undefined && shared[s] !== lk) {
        l++;
        continue;
      }
    }
    if (lk !== undefined) {
      if (!inRhs.has(lk)) {
        out.push(structuredClone(lhs[l++]));
        continue;
      }
      if (emitted.has(lk)) l++;
    }
    if (r < rhs.length) {
      const rk = rhsIds[r] as string;
      emitted.add(rk);
      out.push(merge(inLhs.get(rk), rhs[r++]));
      if (shared[s] === rk) s++;
    }
  }
  return out;
}

/** A copy of `value` without null map values (an applied `null` sets nothing). Pure. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
