/**
 * Kubernetes' strategic merge patch, applied as the apiserver applies it: maps merge, `null` deletes, lists
 * merge item by item where the kind's patch metadata says so, and the directives `$patch`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` do what kubectl's patches mean by them.
 */
import { StatusError } from "../status.js";
import { type JsonObject, isObject } from "./body.js";
import { type ListMeta, type PatchMetaTable, fieldPath, itemPath } from "./patchMeta.js";
import { indexOfItem, normalizeElementOrder, partitionByPresence, requireMergeKey } from "./strategicOrder.js";
import { mergeOrderedLists } from "./strategicSetOrder.js";
import { PATCH, keyAfter, kindOf, stripDirectives } from "./directives.js";

const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";

/** Where a merge is: the kind's table and the path of the value being merged. */
export interface MergeContext {
  readonly table: PatchMetaTable;
  readonly path: string;
}

/**
 * Applies a strategic merge patch to `original` with the kind's patch metadata. Malformed directives are
 * 400 BadRequest (lists of lists 422), with the messages of Kubernetes' mergepatch package. Pure: neither
 * argument is changed.
 */
export function applyStrategicMerge(original: JsonObject, patch: JsonObject, table: PatchMetaTable): JsonObject {
  return mergeMap(structuredClone(original), structuredClone(patch), { table, path: "" });
}

/** Merges `patch` into `original` (both owned: changed in place). */
export function mergeMap(original: JsonObject, patch: JsonObject, ctx: MergeContext): JsonObject {
  if (PATCH in patch) return mapDirective(patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, ctx, mergeListField);
  for (const [rawKey, patchV] of Object.entries(patch)) {
    const deleteList = rawKey.startsWith("$deleteFromPrimitiveList");
    const key = deleteList ? keyAfter(rawKey, DELETE_FROM, "invalid patch format of primitive list") : rawKey;
    if (patchV === null) {
      delete original[key];
      continue;
    }
    const before = original[key];
    if (!(key in original) || kindOf(before) !== kindOf(patchV)) {
      if (!deleteList) setClean(original, key, patchV);
      continue;
    }
    const path = fieldPath(ctx.path, key);
    if (isObject(before)) original[key] = mergeMap(before, patchV as JsonObject, { ...ctx, path });
    else if (Array.isArray(before)) original[key] = mergeListField(before, patchV as unknown[], { ...ctx, path }, deleteList);
    else setClean(original, key, patchV);
  }
  return original;
}

/** Merges the list field at `ctx.path`: item by item when its strategy is merge (or for a deletion list), else the patch's list. */
export function mergeListField(original: unknown[], patch: unknown[], ctx: MergeContext, deleteList = false): unknown[] {
  const meta: ListMeta | undefined = ctx.table[ctx.path];
  if (meta?.strategy !== "merge" && !deleteList) return stripDirectives(patch) as unknown[];
  return mergeList(original, patch, { ...ctx, path: itemPath(ctx.path) }, meta?.mergeKey, deleteList);
}

function mergeList(original: unknown[], patch: unknown[], ctx: MergeContext, mergeKey: string | undefined, deleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  if (kind !== "object") {
    if (deleteList) return original.filter((v) => !patch.includes(v));
    const merged = [...new Set([...original, ...patch])];
    const [named, serverOnly] = partitionByPresence(merged, patch, undefined);
    return normalizeElementOrder(named, serverOnly, patch, original, undefined);
  }
  if (mergeKey === undefined) throw new StatusError("BadRequest", `cannot merge lists without merge key for ${ctx.path}`);
  const [base, items] = listDirectives(original, patch, mergeKey);
  const merged = [...base];
  for (const item of items) {
    requireMergeKey(item, mergeKey);
    const at = indexOfItem(merged, item, mergeKey);
    merged.splice(at < 0 ? merged.length : at, at < 0 ? 0 : 1, at < 0 ? stripDirectives(item) : mergeMap(merged[at] as JsonObject, item, ctx));
  }
  const [named, serverOnly] = partitionByPresence(merged, items, mergeKey);
  return normalizeElementOrder(named, serverOnly, items, base, mergeKey);
}

/** Applies the `$patch` items of a list of objects: `delete` removes by merge key, `replace` drops the live list. */
function listDirectives(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], JsonObject[]] {
  let base = original;
  let replace = false;
  const items: JsonObject[] = [];
  for (const item of patch) {
    if (!isObject(item)) throw new StatusError("BadRequest", "list element types are not identical");
    const directive = item[PATCH];
    if (directive === undefined) items.push(item);
    else if (directive === "delete") {
      requireMergeKey(item, mergeKey);
      base = base.filter((v) => !isObject(v) || v[mergeKey] !== item[mergeKey]);
    } else if (directive === "replace") replace = true;
    else if (directive === "merge") throw new StatusError("BadRequest", "merging lists cannot yet be specified in the patch");
    else throw badPatchType(directive, item);
  }
  return replace ? [[], items] : [base, items];
}

/** A map carrying `$patch`: `replace` is the patch itself, `delete` an empty map. */
function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[PATCH];
  if (directive === "replace") {
    delete patch[PATCH];
    return stripDirectives(patch) as JsonObject;
  }
  if (directive === "delete") return {};
  throw badPatchType(directive, patch);
}

/** `$retainKeys`: keys of `original` not in the list are cleared; every key the patch sets must be in it. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  const bad = (): StatusError => new StatusError("BadRequest", "invalid patch format of retainKeys");
  if (!Array.isArray(retain)) throw bad();
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith("$deleteFromPrimitiveList/") || k.startsWith("$setElementOrder/")) continue;
    if (!retain.includes(k)) throw bad();
  }
  for (const k of Object.keys(original)) if (!retain.includes(k)) delete original[k];
}

/** The one element kind of the given lists (lists of lists are 422, mixed kinds 400). */
export function elementKind(...lists: unknown[][]): string {
  const kinds = new Set(lists.flat().map(kindOf));
  if (kinds.has("array")) {
    throw new StatusError("Invalid", "the server rejected our request due to an error in our request", { causes: [{ field: "patch", message: "lists of lists are not supported" }] });
  }
  if (kinds.size > 1) throw new StatusError("BadRequest", `list element types are not identical: ${[...kinds].join(", ")}`);
  return [...kinds][0] ?? "none";
}

function badPatchType(directive: unknown, m: JsonObject): StatusError {
  return new StatusError("BadRequest", `unknown patch type: ${String(directive)} in map: ${JSON.stringify(m)}`);
}

/** Sets `original[key]` to the patch value without its nulls and directives (or removes it if the value is a directive). */
function setClean(original: JsonObject, key: string, patchV: unknown): void {
  const clean = stripDirectives(patchV);
  if (clean === undefined) delete original[key];
  else original[key] = clean;
}

