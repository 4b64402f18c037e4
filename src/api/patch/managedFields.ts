/**
 * `metadata.managedFields`: which manager owns which fields. Decoding and encoding the entries, comparing two
 * versions of an object field by field, and the bookkeeping of a non-apply write (an "Update" entry), as the
 * Kubernetes apiserver does after every create, update and patch.
 */
import { z } from "zod";
import { type JsonObject, isObject } from "./body.js";
import { type FieldPathKey, type FieldSet, fieldSetOf, fromFieldsV1, pathKey, toFieldsV1 } from "./fieldSet.js";
import { jsonEqual } from "./mergePatch.js";
import { type PatchMetaTable, patchMetaFor } from "./patchMeta.js";

/** One managedFields entry as the v1 API renders it. */
export const ManagedFieldsEntry = z.object({
  manager: z.string(),
  operation: z.enum(["Apply", "Update"]),
  apiVersion: z.string(),
  time: z.string().optional(),
  fieldsType: z.literal("FieldsV1"),
  fieldsV1: z.record(z.string(), z.unknown()).optional(),
  subresource: z.string().optional(),
});
export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntry>;

/** A manager with its fields as a set of paths. */
export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: Set<FieldPathKey>;
}

/** Paths no manager owns (Kubernetes strips them from every set): type and system metadata. */
const UNOWNED = new Set(
  [["apiVersion"], ["kind"], ["metadata"], ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "generation", "managedFields", "resourceVersion", "deletionTimestamp"].map((f) => ["metadata", f])].map(
    (p) => pathKey(p.map((f) => `f:${f}`)),
  ),
);

/** The field set of an object that managers can own (system metadata and managedFields left out). Pure. */
export function ownableFields(obj: JsonObject, table: PatchMetaTable): FieldSet {
  const meta = isObject(obj.metadata) ? { ...obj.metadata } : undefined;
  if (meta) delete meta.managedFields;
  const set = fieldSetOf(meta ? { ...obj, metadata: meta } : obj, table);
  for (const key of set.keys()) if (UNOWNED.has(key)) set.delete(key);
  return set;
}

/** What changed between two versions: paths added or changed in value, and paths removed. */
export interface Comparison {
  changed: Set<FieldPathKey>;
  removed: Set<FieldPathKey>;
}

/** Compares the ownable fields of two versions of an object. Pure. */
export function compareFields(before: FieldSet, after: FieldSet): Comparison {
  const changed = new Set<FieldPathKey>();
  const removed = new Set<FieldPathKey>();
  for (const [key, v] of after) {
    const old = before.get(key);
    if (old === undefined || (v !== "item" && (old === "item" || !jsonEqual(old.value, v.value)))) changed.add(key);
  }
  for (const key of before.keys()) if (!after.has(key)) removed.add(key);
  return { changed, removed };
}

/** The identity of a manager: appliers are one manager whatever the apiVersion; updaters are one per apiVersion. Pure. */
export function managerId(m: Pick<Manager, "manager" | "operation" | "apiVersion" | "subresource">): string {
  return JSON.stringify([m.manager, m.operation, m.operation === "Apply" ? "" : m.apiVersion, m.subresource ?? ""]);
}

/** The managers recorded on an object (an entry that does not parse is dropped, as the apiserver resets them). Pure. */
export function decodeManagers(obj: JsonObject | undefined): Manager[] {
  const entries = isObject(obj?.metadata) ? obj.metadata.managedFields : undefined;
  const parsed = z.array(ManagedFieldsEntry).safeParse(entries ?? []);
  if (!parsed.success) return [];
  return parsed.data.map(({ fieldsV1, fieldsType: _t, ...rest }) => ({ ...rest, fields: new Set(fromFieldsV1(fieldsV1 ?? {})) }));
}

/** The managedFields entries of `managers`, without empty ones, in Kubernetes' order (operation, time, manager). Pure. */
export function encodeManagers(managers: readonly Manager[]): ManagedFieldsEntry[] {
  const cmp = (a: string | undefined, b: string | undefined): number => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);
  return managers
    .filter((m) => m.fields.size > 0)
    .sort((a, b) => cmp(a.operation, b.operation) || cmp(a.time, b.time) || cmp(a.manager, b.manager) || cmp(a.apiVersion, b.apiVersion) || cmp(a.subresource, b.subresource))
    .map(({ fields, time, subresource, ...m }) => ({
      ...m,
      ...(time !== undefined ? { time } : {}),
      fieldsType: "FieldsV1" as const,
      fieldsV1: toFieldsV1(fields),
      ...(subresource !== undefined ? { subresource } : {}),
    }));
}

/** `obj` with its managedFields set to the entries of `managers` (the key removed when none is left). Pure. */
export function withManagers(obj: JsonObject, managers: readonly Manager[]): JsonObject {
  const metadata: JsonObject = isObject(obj.metadata) ? { ...obj.metadata } : {};
  const entries = encodeManagers(managers);
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return { ...obj, metadata };
}

/**
 * Records a non-apply write by `manager` (create, update, JSON/merge/strategic patch): the manager's "Update"
 * entry gains the fields it added or changed and loses those it removed; other managers lose them too (an
 * update never conflicts, it takes the fields). `old` is undefined for a create. Returns `next` with its
 * managedFields set. Pure: `now` is the time written on the manager's entry when its fields change.
 */
export function recordUpdate(old: JsonObject | undefined, next: JsonObject, manager: string, now?: string, subresource?: string): JsonObject {
  const table = patchMetaFor(String(next.kind ?? old?.kind ?? ""));
  const apiVersion = String(next.apiVersion ?? old?.apiVersion ?? "v1");
  const diff = compareFields(old ? ownableFields(old, table) : new Map(), ownableFields(next, table));
  const me = { manager, operation: "Update" as const, apiVersion, ...(subresource ? { subresource } : {}) };
  const all = decodeManagers(old ?? next);
  const mine = all.find((m) => managerId(m) === managerId(me));
  const fields = new Set([...without(mine?.fields ?? new Set(), diff.removed), ...diff.changed]);
  const others = all.filter((m) => m !== mine).map((m) => ({ ...m, fields: without(m.fields, diff.changed, diff.removed) }));
  const unchanged = mine !== undefined && sameSet(mine.fields, fields);
  const time = unchanged ? mine.time : now;
  return withManagers(next, [...others, { ...me, ...(time !== undefined ? { time } : {}), fields }]);
}

/** `set` without the paths in any of `drop`. Pure. */
export function without(set: ReadonlySet<FieldPathKey>, ...drop: ReadonlySet<FieldPathKey>[]): Set<FieldPathKey> {
  return new Set([...set].filter((k) => !drop.some((d) => d.has(k))));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((k) => b.has(k));
}
