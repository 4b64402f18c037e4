/**
 * `$setElementOrder/<field>` in a strategic merge patch: kubectl sends the full order of a merged list (by merge
 * key) next to the changed items, so the server merges that list first and then puts its items in that order.
 */
import { StatusError } from "../status.js";
import { type JsonObject, isObject } from "./body.js";
import { fieldPath } from "./patchMeta.js";
import { keyAfter, stripDirectives } from "./directives.js";
import type { MergeContext } from "./strategicMerge.js";
import { normalizeElementOrder, partitionByPresence } from "./strategicOrder.js";

/** How the strategic merge merges one list field (passed in, so the two files do not import each other). */
export type ListMerge = (live: unknown[], patch: unknown[], ctx: MergeContext) => unknown[];

const SET_ORDER = "$setElementOrder/";
const BAD_ORDER = "invalid patch format of setElementOrder list";

/**
 * Merges every list that the patch orders with `$setElementOrder/<field>`, removing the directive and the list
 * from `patch` so the rest of the merge does not see them again. Changes `original` and `patch` in place.
 */
export function mergeOrderedLists(original: JsonObject, patch: JsonObject, ctx: MergeContext, mergeList: ListMerge): void {
  for (const rawKey of Object.keys(patch)) {
    if (!rawKey.startsWith("$setElementOrder")) continue;
    const order = patch[rawKey];
    delete patch[rawKey];
    const key = keyAfter(rawKey, SET_ORDER, BAD_ORDER);
    if (!Array.isArray(order)) throw new StatusError("BadRequest", BAD_ORDER);
    const live = original[key];
    const patchList = patch[key];
    if (live !== undefined && !Array.isArray(live)) throw new StatusError("BadRequest", `expected a slice, but received a ${typeof live}`);
    if (patchList !== undefined && !Array.isArray(patchList)) throw new StatusError("BadRequest", BAD_ORDER);
    if (live === undefined && patchList === undefined) continue;
    const path = fieldPath(ctx.path, key);
    const mergeKey = ctx.table[path]?.mergeKey;
    checkOrderMatchesPatch(patchList ?? [], order, mergeKey);
    const merged = mergedList(live, patchList, { ...ctx, path }, mergeList);
    const [named, serverOnly] = partitionByPresence(merged, order, mergeKey);
    original[key] = normalizeElementOrder(named, serverOnly, order, serverOrder(live ?? [], patchList ?? [], mergeKey), mergeKey);
    delete patch[key];
  }
}

function mergedList(live: unknown[] | undefined, patchList: unknown[] | undefined, ctx: MergeContext, mergeList: ListMerge): unknown[] {
  if (patchList === undefined) return live ?? [];
  if (live === undefined) return stripDirectives(patchList) as unknown[];
  return mergeList(live, patchList, ctx);
}

/**
 * The live order the apiserver compares server-only items against. Its Go code deletes `$patch: delete` items
 * and appends new items in the live list's own backing array, so the order it then reads is the live list
 * after those deletions with the new items appended, cut to the live list's length. Kubernetes' own test
 * table expects the results this gives (e.g. live [1, 2, 4], order [2, 3], add 3, delete 1 → [2, 4, 3]).
 */
function serverOrder(live: unknown[], patchList: unknown[], mergeKey: string | undefined): unknown[] {
  if (mergeKey === undefined || patchList.some((v) => isObject(v) && v.$patch === "replace")) return live;
  const id = (v: unknown): unknown => (isObject(v) ? v[mergeKey] : undefined);
  const deleted = new Set(patchList.filter((v) => isObject(v) && v.$patch === "delete").map(id));
  const kept = live.filter((v) => !deleted.has(id(v)));
  const added = patchList.filter((v) => !(isObject(v) && "$patch" in v) && !kept.some((k) => id(k) === id(v)));
  return [...kept, ...added].slice(0, live.length);
}

/**
 * The items the patch list sets (its `$patch` items aside) must appear in the order list, in the same relative
 * order; otherwise 400 as Kubernetes answers.
 */
function checkOrderMatchesPatch(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  const id = (v: unknown): unknown => (mergeKey !== undefined && isObject(v) ? v[mergeKey] : v);
  const items = patchList.filter((v) => !(isObject(v) && "$patch" in v));
  let o = 0;
  for (const item of items) {
    while (o < order.length && id(order[o]) !== id(item)) o++;
    if (o >= order.length) {
      throw new StatusError("BadRequest", `The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match $setElementOrder list:\n${JSON.stringify(order)}\n`);
    }
    o++;
  }
}
