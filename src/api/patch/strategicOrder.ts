/**
 * The order of a merged list in a strategic merge patch: items named by the patch (or by its
 * `$setElementOrder`) keep the patch's order, items only the server has keep theirs, and the two are
 * interleaved by where they stood in the live list (Kubernetes' "preserve order in strategic merge patch").
 */
import { StatusError } from "../status.js";
import { isObject } from "./body.js";

/** What identifies an item: the merge key's value for objects, the value itself for scalars. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  return mergeKey !== undefined && isObject(item) ? item[mergeKey] : item;
}

/** The position of `item` in `list` by identity, or -1. Pure. */
export function indexOfItem(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = identity(item, mergeKey);
  return list.findIndex((v) => identity(v, mergeKey) === id);
}

/** A lookup of positions in `list` by identity (the first one counts): -1 for an item the list lacks. Pure. */
export function positionsIn(list: readonly unknown[], mergeKey: string | undefined): (item: unknown) => number {
  const at = new Map<unknown, number>();
  list.forEach((v, i) => {
    const id = identity(v, mergeKey);
    if (!at.has(id)) at.set(id, i);
  });
  return (item) => at.get(identity(item, mergeKey)) ?? -1;
}

/** Splits `items` into those `order` names and those it does not (the server's own). Pure. */
export function partitionByPresence(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const named: unknown[] = [];
  const serverOnly: unknown[] = [];
  const position = positionsIn(order, mergeKey);
  for (const item of items) {
    if (mergeKey !== undefined) requireMergeKey(item, mergeKey);
    (position(item) >= 0 ? named : serverOnly).push(item);
  }
  return [named, serverOnly];
}

/** Throws 400 unless `item` is an object holding `mergeKey`. */
export function requireMergeKey(item: unknown, mergeKey: string): asserts item is Record<string, unknown> {
  if (!isObject(item)) throw new StatusError("BadRequest", `expected a map, but received a ${typeName(item)}`);
  if (!(mergeKey in item)) throw new StatusError("BadRequest", `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
}

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "slice" : typeof v;
}

/**
 * `items` sorted by their positions in `order`, as the apiserver sorts them: Go's stable insertion sort with a
 * comparison that calls an item "less" unless both items are in `order` (so items `order` lacks move around
 * as they do in Kubernetes, e.g. after an empty `$setElementOrder`). Go sorts blocks of 20 so, then merges
 * them; when every item is in `order` (all that kubectl sends) that is the same as one insertion sort. Pure.
 */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const out = [...items];
  const position = positionsIn(order, mergeKey);
  const less = (a: unknown, b: unknown): boolean => {
    const ia = position(a);
    const ib = ia < 0 ? -1 : position(b);
    return ia < 0 || ib < 0 ? true : ia < ib;
  };
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return out;
}

/**
 * The merged list in its final order: `patchItems` sorted by `patchOrder`, `serverOnly` sorted by the live
 * `serverOrder`, then each server-only item placed before the first patch item that the live list has after it.
 * Pure.
 */
export function normalizeElementOrder(
  patchItems: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const position = positionsIn(serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = position(left[i]);
      const ri = position(right[j]);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}
