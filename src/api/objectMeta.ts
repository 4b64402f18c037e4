/** ObjectMeta: the metadata every object carries, in its internal (and v1) shape. */
import { z } from "zod";
import type { ManifestTarget } from "./codec.js";
import { checkTarget } from "./manifest.js";
import { Annotations, Labels, qualifiedNameErrors } from "./labels.js";
import { DnsLabel, ObjectName } from "./names.js";
import { StatusError } from "./status.js";

/** A map of strings, as the system keeps labels and annotations (client input is checked by `Labels` and `Annotations`). */
export const StringMap = z.record(z.string(), z.string());

/** A reference from a dependent to its owner (a ReplicaSet's pods to it, a Deployment's ReplicaSets to it). */
export const OwnerReference = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  uid: z.string().min(1),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReference>;

/** One entry of `metadata.managedFields`: the fields a manager owns, as server-side apply records them (src/api/patch). */
export const ManagedFieldsEntry = z.strictObject({
  manager: z.string(),
  operation: z.enum(["Apply", "Update"]),
  apiVersion: z.string(),
  time: z.string().optional(),
  fieldsType: z.literal("FieldsV1"),
  fieldsV1: z.record(z.string(), z.unknown()).optional(),
  subresource: z.string().optional(),
});
export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntry>;

/** The finalizers Kubernetes' garbage collector acts on, which cannot both be set. */
const GC_FINALIZERS = ["orphan", "foregroundDeletion"] as const;

/**
 * `metadata.finalizers`: qualified names, and not both of the garbage collector's `orphan` and `foregroundDeletion`,
 * as the apiserver checks them and words its refusals. Only pods and the plain kinds take them (`finalizable`);
 * other kinds' manifests hold them as an unknown field.
 */
export const Finalizers = z.array(z.string()).superRefine((list, ctx) => {
  // The apiserver names the list, not the entry, for each problem (and a Go list of strings as `[]string{…}`).
  for (const name of list) {
    for (const message of qualifiedNameErrors(name)) ctx.addIssue({ code: "custom", path: [], message: `Invalid value: ${JSON.stringify(name)}: ${message}` });
  }
  if (GC_FINALIZERS.every((f) => list.includes(f))) {
    const go = `[]string{${list.map((f) => JSON.stringify(f)).join(", ")}}`;
    ctx.addIssue({ code: "custom", path: [], message: `Invalid value: ${go}: finalizer ${GC_FINALIZERS[0]} and ${GC_FINALIZERS[1]} cannot be both set` });
  }
});

/**
 * Metadata a client may send in a manifest: name, namespace, labels, annotations, and the managedFields that
 * PATCH and apply compute. Other system fields are refused.
 */
export const ClientObjectMeta = z.strictObject({
  name: ObjectName,
  namespace: DnsLabel.optional(),
  labels: Labels.optional(),
  annotations: Annotations.optional(),
  ownerReferences: z.array(OwnerReference).optional(),
  managedFields: z.array(ManagedFieldsEntry).optional(),
});
export type ClientObjectMeta = z.infer<typeof ClientObjectMeta> & { finalizers?: string[] | undefined };
/** A manifest's metadata for a kind named by DNS-1123 labels (namespaces, nodes, services, StatefulSets). */
export const LabelNamedClientMeta = ClientObjectMeta.extend({ name: DnsLabel });

/** A manifest's metadata as `metadata` checks it, with the finalizers of a kind that keeps them (pods and the plain kinds). Pure. */
export function finalizable<M extends typeof ClientObjectMeta>(metadata: M) {
  return metadata.extend({ finalizers: Finalizers.optional() });
}

/**
 * The metadata a controller sends back when it replaces an object it read: without the fields the system sets (a
 * manifest carrying them is refused). Pure.
 */
export function clientMetaOf(meta: ObjectMeta): ClientObjectMeta {
  const { uid: _u, creationTimestamp: _c, resourceVersion: _r, generation: _g, deletionTimestamp: _d, deletionGracePeriodSeconds: _dg, ...client } = meta;
  return client;
}

/** Metadata as the system keeps it: uid, resourceVersion, generation and creationTimestamp are set by the system. */
export const ObjectMeta = z.strictObject({
  name: ObjectName,
  namespace: DnsLabel.optional(),
  uid: z.string(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  ownerReferences: z.array(OwnerReference).optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().nonnegative().optional(),
  creationTimestamp: z.string(),
  deletionTimestamp: z.string().optional(),
  /** Set with `deletionTimestamp`: a terminating pod's grace period, or 0 on an object whose finalizers hold its deletion. */
  deletionGracePeriodSeconds: z.number().int().nonnegative().optional(),
  finalizers: z.array(z.string()).optional(),
  managedFields: z.array(ManagedFieldsEntry).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** An RFC 3339 timestamp with a zone (`2026-11-26T03:40:00Z`), as the system writes times in status fields. */
export const Timestamp = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp such as 2026-11-26T03:40:00Z" });

/** The truth value of a condition (pod and node conditions). */
export const ConditionStatus = z.enum(["True", "False", "Unknown"]);
export type ConditionStatus = z.infer<typeof ConditionStatus>;

/**
 * The metadata that a v1beta1 (2014) manifest carries at its top level (its TypeMeta): the name is `id`.
 * Spread into a kind's `z.strictObject`.
 */
export const V1beta1ClientMetaFields = {
  id: DnsLabel,
  namespace: DnsLabel.optional(),
  labels: Labels.optional(),
  annotations: Annotations.optional(),
};

/**
 * The top-level metadata of a rendered v1beta1 object. v1beta1 has no `generation`, and its
 * `resourceVersion` is a number (so only decimal resourceVersions survive the trip).
 */
export const V1beta1StoredMetaFields = {
  ...V1beta1ClientMetaFields,
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  uid: z.string(),
  creationTimestamp: z.string(),
  resourceVersion: z.number().int().nonnegative().optional(),
  deletionTimestamp: z.string().optional(),
};

/** The client metadata of a parsed v1beta1 manifest. Pure. */
export function clientMetaFromV1beta1(m: { id: string; namespace?: string | undefined; labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined }): ClientObjectMeta {
  return dropUndefined({ name: m.id, namespace: m.namespace, labels: m.labels, annotations: m.annotations }) as ClientObjectMeta;
}

/** The internal metadata of a rendered v1beta1 object read back. Pure. */
export function metaFromV1beta1(m: {
  id: string; namespace?: string | undefined; labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined;
  uid: string; creationTimestamp: string; resourceVersion?: number | undefined; deletionTimestamp?: string | undefined;
}): ObjectMeta {
  return dropUndefined({
    ...clientMetaFromV1beta1(m), uid: m.uid, creationTimestamp: m.creationTimestamp,
    resourceVersion: m.resourceVersion === undefined ? undefined : String(m.resourceVersion), deletionTimestamp: m.deletionTimestamp,
  }) as ObjectMeta;
}

/** The top-level v1beta1 fields of internal metadata (`generation` has no v1beta1 field and is dropped). Pure. */
export function metaToV1beta1(meta: ObjectMeta): Record<string, unknown> {
  const rv = meta.resourceVersion;
  return dropUndefined({
    id: meta.name, namespace: meta.namespace, uid: meta.uid, creationTimestamp: meta.creationTimestamp,
    resourceVersion: rv !== undefined && /^\d+$/.test(rv) ? Number(rv) : undefined,
    deletionTimestamp: meta.deletionTimestamp, labels: meta.labels, annotations: meta.annotations,
  });
}

/** A copy of `o` without its undefined-valued keys, so that rendered objects carry no empty fields. Pure. */
export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * `checkTarget` for a v1beta1 manifest: the same checks, with causes named by the v1beta1 fields
 * (`data.id`, `data.namespace`) instead of the v1 ones. Pure.
 */
export function checkTargetV1beta1(meta: ClientObjectMeta, target: ManifestTarget, kind: string, clusterScoped: boolean): void {
  try {
    checkTarget(meta, target, kind, clusterScoped);
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    const causes = err.details.causes?.map((c) => ({ ...c, field: c.field.replace(/^data\.metadata\.name$/, "data.id").replace(/^data\.metadata\./, "data.") }));
    throw new StatusError(err.reason, err.message, { ...err.details, ...(causes ? { causes } : {}) }, { cause: err });
  }
}
