/**
 * The codec of a kind that lives in one version of one API group (coordination.k8s.io/v1 Lease, rbac...): the
 * object is `metadata` plus the kind's own top-level fields, the same inside and on the wire; the 2014 v1beta1 wire
 * form does not carry it (BadRequest). Built from the kind's zod fields, so its schema is written once. Pure.
 */
import { z } from "zod";
import { parseExternal, type ExternalReader, type KindCodec } from "./codec.js";
import { RESOURCE_INFO, type Resource } from "./kinds.js";
import { checkTarget, parseWith } from "./manifest.js";
import { ClientObjectMeta, finalizable, LabelNamedClientMeta, ObjectMeta } from "./objectMeta.js";
import { StatusError } from "./status.js";

/** What describes one group kind. */
export interface GroupKindSpec<F extends z.ZodRawShape> {
  resource: Resource;
  kind: string;
  /** `group/version`, e.g. `coordination.k8s.io/v1` (the core group's is just `v1`). */
  apiVersion: string;
  clusterScoped: boolean;
  /** The kind's top-level fields besides apiVersion, kind and metadata (e.g. `{ spec }`, `{ rules }`). */
  fields: F;
  /** The status the system writes (never taken from a client's manifest), for kinds that have one. */
  status?: z.ZodType;
  /** A manifest's metadata, when its name has a rule of its own (a Service's: a DNS-1035 label). */
  metadata?: typeof ClientObjectMeta;
}

/** The internal object of a group kind. */
export type GroupObject<F extends z.ZodRawShape> = { kind: string; metadata: ObjectMeta; status?: unknown } & z.infer<z.ZodObject<F>>;
/** What a client sends to create or replace one. */
export type GroupManifest<F extends z.ZodRawShape> = { metadata: ClientObjectMeta } & z.infer<z.ZodObject<F>>;

/** The codec, plus the schemas (for the JSON Schemas in docs/schemas). Pure. */
export function groupKindCodec<F extends z.ZodRawShape>(spec: GroupKindSpec<F>) {
  const envelope = { apiVersion: z.literal(spec.apiVersion).optional(), kind: z.literal(spec.kind).optional() };
  const manifestSchema = z.strictObject({ ...envelope, metadata: finalizable(spec.metadata ?? (RESOURCE_INFO[spec.resource].labelNames ? LabelNamedClientMeta : ClientObjectMeta)), ...spec.fields });
  const objectSchema = z.strictObject({ ...envelope, metadata: ObjectMeta, ...spec.fields, ...(spec.status ? { status: spec.status.optional() } : {}) });
  const notServed = () => new StatusError("BadRequest", `${spec.kind} (${spec.apiVersion}) is not served in v1beta1`, { kind: spec.resource });
  const codec: KindCodec<GroupObject<F>, GroupManifest<F>> & ExternalReader<GroupObject<F>> = {
    resource: spec.resource,
    finalizers: true,
    parseManifest(apiVersion, body, target) {
      if (apiVersion === "v1beta1") throw notServed();
      const { apiVersion: _v, kind: _k, ...m } = parseWith(manifestSchema, body, spec.kind, target.name) as Record<string, unknown>;
      const manifest = m as GroupManifest<F>;
      checkTarget(manifest.metadata, target, spec.kind, spec.clusterScoped);
      return manifest;
    },
    render(apiVersion, object) {
      if (apiVersion === "v1beta1") throw notServed();
      return { apiVersion: spec.apiVersion, ...object, kind: spec.kind };
    },
    fromExternal(apiVersion, object) {
      if (apiVersion === "v1beta1") throw notServed();
      const { apiVersion: _v, ...o } = parseExternal(objectSchema, object, spec.kind) as Record<string, unknown>;
      return { ...o, kind: spec.kind } as GroupObject<F>;
    },
  };
  return { codec, manifestSchema, objectSchema };
}
