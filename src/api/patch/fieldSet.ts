/**
 * Field sets, as server-side apply tracks ownership: the paths of an object's leaves and of its list items,
 * written with Kubernetes' FieldsV1 tokens (`f:spec`, `k:{"name":"web"}`, `v:"finalizer"`), encoded to and
 * from the FieldsV1 tree of a managedFields entry, and printed as conflicts print them (`.spec.containers[name="web"].image`).
 */
import { StatusError } from "../status.js";
import { type JsonObject, isObject } from "./body.js";
import { type ListMeta, type PatchMetaTable, fieldPath, itemPath } from "./patchMeta.js";

/** A path: its tokens joined by a newline (no token holds a raw newline: values are JSON-encoded). */
export type FieldPathKey = string;

/** What a field set knows of each path: a leaf's value, or that it is a list item (a member with children). */
export type FieldSet = Map<FieldPathKey, { value: unknown } | "item">;

const SEP = "\n";

/** The path key of `tokens`. Pure. */
export const pathKey = (tokens: readonly string[]): FieldPathKey => tokens.join(SEP);

/** The tokens of a path key. Pure. */
export const pathTokens = (key: FieldPathKey): string[] => (key === "" ? [] : key.split(SEP));

/** Whether `key` is `ancestor` or lies under it. Pure. */
export const isAtOrUnder = (key: FieldPathKey, ancestor: FieldPathKey): boolean => key === ancestor || key.startsWith(ancestor + SEP);

/** The `k:` token of a map-list item: its key fields (defaults filled in) as sorted JSON; 422 if one is missing. */
export function itemKeyToken(item: JsonObject, meta: ListMeta, where: string): string {
  const key: JsonObject = {};
  for (const name of [...(meta.keys ?? [])].sort()) {
    const value = item[name] ?? meta.keyDefaults?.[name];
    if (value === undefined) {
      throw new StatusError("Invalid", `.${where}: associative list with keys has an element that omits key field "${name}"`, {
        causes: [{ field: where, message: `associative list with keys has an element that omits key field "${name}"` }],
      });
    }
    key[name] = value;
  }
  return `k:${JSON.stringify(key)}`;
}

/** The `v:` token of a set item. Pure. */
export const valueToken = (v: unknown): string => `v:${JSON.stringify(v)}`;

/**
 * The field set of an object: every leaf (scalars, empty maps, atomic lists) with its value, and every item of
 * a map or set list as a member. Pure.
 */
export function fieldSetOf(obj: JsonObject, table: PatchMetaTable): FieldSet {
  const set: FieldSet = new Map();
  walk(obj, "", [], table, set);
  return set;
}

function walk(value: unknown, path: string, tokens: string[], table: PatchMetaTable, set: FieldSet): void {
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && tokens.length > 0) set.set(pathKey(tokens), { value });
    for (const [k, v] of entries) walk(v, fieldPath(path, k), [...tokens, `f:${k}`], table, set);
    return;
  }
  const meta = table[path];
  if (!Array.isArray(value) || value.length === 0 || meta === undefined || meta.listType === "atomic") {
    set.set(pathKey(tokens), { value });
    return;
  }
  for (const item of value) {
    if (meta.listType === "set") {
      set.set(pathKey([...tokens, valueToken(item)]), { value: item });
    } else if (isObject(item)) {
      const itemTokens = [...tokens, itemKeyToken(item, meta, path)];
      set.set(pathKey(itemTokens), "item");
      walk(item, itemPath(path), itemTokens, table, set);
    }
  }
}

/** A FieldsV1 tree (`{"f:spec": {"f:replicas": {}}, ...}`) from a set of paths. Pure. */
export function toFieldsV1(paths: Iterable<FieldPathKey>): JsonObject {
  const root: JsonObject = {};
  const members = new Set<JsonObject>();
  for (const key of paths) {
    let node = root;
    for (const token of pathTokens(key)) node = (node[token] ??= {}) as JsonObject;
    members.add(node);
  }
  return sortTree(root, members);
}

const RANK: Record<string, number> = { ".": 0, f: 1, k: 2, v: 3, i: 4 };
function sortTree(node: JsonObject, members: Set<JsonObject>): JsonObject {
  const keys = Object.keys(node).sort((a, b) => (RANK[a[0] ?? ""] ?? 9) - (RANK[b[0] ?? ""] ?? 9) || (a < b ? -1 : a > b ? 1 : 0));
  const out: JsonObject = keys.length > 0 && members.has(node) ? { ".": {} } : {};
  for (const k of keys) out[k] = sortTree(node[k] as JsonObject, members);
  return out;
}

/** The paths of a FieldsV1 tree (a leaf `{}` or a `"."` entry marks a member). Pure. */
export function fromFieldsV1(tree: unknown, prefix: string[] = []): FieldPathKey[] {
  if (!isObject(tree)) return [];
  const entries = Object.entries(tree);
  if (entries.length === 0) return prefix.length > 0 ? [pathKey(prefix)] : [];
  return entries.flatMap(([token, sub]) => (token === "." ? [pathKey(prefix)] : fromFieldsV1(sub, [...prefix, token])));
}

/** A path as Kubernetes prints it in conflicts: `.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`. Pure. */
export function printPath(key: FieldPathKey): string {
  return pathTokens(key)
    .map((token) => {
      const body = token.slice(2);
      if (token.startsWith("f:")) return `.${body}`;
      if (token.startsWith("v:")) return `[=${body}]`;
      if (token.startsWith("k:")) {
        const fields = Object.entries(JSON.parse(body) as JsonObject).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
        return `[${fields.join(",")}]`;
      }
      return `[${body}]`;
    })
    .join("");
}
