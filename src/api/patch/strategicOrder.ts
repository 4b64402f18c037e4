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

/** Splits `items` into those `order` names and those it does not (the server's own). Pure. */
export function partitionByPresence(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const named: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of items) {
    if (mergeKey !== undefined) requireMergeKey(item, mergeKey);
    (indexOfItem(order, item, mergeKey) >= 0 ? named : serverOnly).push(item);
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

/** `items` sorted stably by their positions in `order` (items `order` lacks go last). Pure. */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const rank = (v: unknown): number => {
    const i = indexOfItem(order, v, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...items].sort((a, b) => rank(a) - rank(b));
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
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = indexOfItem(serverOrder, left[i], mergeKey);
      const ri = indexOfItem(serverOrder, right[j], mergeKey);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}
