/**
 * Moving from client-side to server-side apply, as the apiserver eases it for the manager "kubectl": fields
 * that the `kubectl.kubernetes.io/last-applied-configuration` annotation holds with the live values do not
 * conflict, and an apply keeps that annotation up to date when the object has one.
 */
import { type JsonObject, isObject } from "./body.js";
import { type FieldPathKey, type FieldSet } from "./fieldSet.js";
import { ownableFields } from "./managedFields.js";
import { jsonEqual } from "./mergePatch.js";
import type { PatchMetaTable } from "./patchMeta.js";

/** The annotation in which client-side `kubectl apply` keeps the configuration it applied. */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** The only manager the apiserver upgrades from client-side apply. */
export const UPGRADING_MANAGER = "kubectl";

function lastAppliedOf(obj: JsonObject | undefined): string | undefined {
  const annotations = isObject(obj?.metadata) && isObject(obj.metadata.annotations) ? obj.metadata.annotations : undefined;
  const value = annotations?.[LAST_APPLIED];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The fields the live object's last-applied configuration names with the values the object still has (none
 * when there is no annotation, it does not parse, or its apiVersion differs). Pure.
 */
export function fieldsFromLastApplied(live: JsonObject | undefined, table: PatchMetaTable): Set<FieldPathKey> {
  const text = lastAppliedOf(live);
  if (live === undefined || text === undefined) return new Set();
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return new Set();
  }
  if (!isObject(last) || last.apiVersion !== live.apiVersion) return new Set();
  const liveFields: FieldSet = ownableFields(live, table);
  const same = [...ownableFields(last, table)].filter(([path, v]) => {
    const now = liveFields.get(path);
    return now !== undefined && (v === "item" ? now === "item" : now !== "item" && jsonEqual(now.value, v.value));
  });
  return new Set(same.map(([path]) => path));
}

/** `obj` with its last-applied annotation set to `config` (without that annotation), if it had one. Pure. */
export function syncLastApplied(obj: JsonObject, config: JsonObject): JsonObject {
  if (lastAppliedOf(obj) === undefined || !isObject(obj.metadata)) return obj;
  const annotations = { ...(obj.metadata.annotations as JsonObject), [LAST_APPLIED]: `${JSON.stringify(sortedKeys(withoutAnnotation(config)))}\n` };
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

function withoutAnnotation(config: JsonObject): JsonObject {
  if (!isObject(config.metadata) || !isObject(config.metadata.annotations)) return config;
  const { [LAST_APPLIED]: _dropped, ...annotations } = config.metadata.annotations;
  const metadata: JsonObject = { ...config.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
  return { ...config, metadata };
}

/** A copy with object keys in sorted order (as Go encodes maps). Pure. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys(v[k])]));
}
