/** How each kind's objects come off the wire and go back onto it, in either external API version. */
import type { z } from "zod";
import type { Resource } from "./kinds.js";
import { invalidFromZod } from "./status.js";

/** The external API versions a client may speak. */
export const API_VERSIONS = ["v1", "v1beta1"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** True when `s` is a supported API version. Pure. */
export function isApiVersion(s: unknown): s is ApiVersion {
  return typeof s === "string" && (API_VERSIONS as readonly string[]).includes(s);
}

/** Where a manifest is being created: the subject's namespace and name, which the body must agree with. */
export interface ManifestTarget {
  namespace: string;
  name: string;
}

/**
 * A kind's conversion between its external versions and its one internal form.
 * `parseManifest` validates a client manifest (throws an Invalid StatusError with one cause per field)
 * and returns the internal spec part; `render` turns an internal object into the asked version. Both pure.
 */
export interface KindCodec<Internal, Manifest> {
  resource: Resource;
  /**
   * Its manifests may carry `metadata.finalizers`, and its objects keep them, their deletion held until they are
   * taken away (pods and the plain kinds, src/actors/plainObject). Absent: a manifest's finalizers are an unknown field.
   */
  finalizers?: true;
  parseManifest(apiVersion: ApiVersion, body: unknown, target: ManifestTarget): Manifest;
  render(apiVersion: ApiVersion, object: Internal): Record<string, unknown>;
  /** Reads a whole rendered object (the inverse of `render`); see ExternalReader. */
  fromExternal?(apiVersion: ApiVersion, object: unknown): Internal;
}

/**
 * A codec that can also read back a whole rendered object (metadata and status included), as stored or
 * as returned by a read. Throws an Invalid StatusError whose causes are paths within the object. Pure.
 */
export interface ExternalReader<Internal> {
  fromExternal(apiVersion: ApiVersion, object: unknown): Internal;
}

/** Parses a whole rendered object with `schema`, or throws Invalid with one cause per field (no `data.` prefix). Pure. */
export function parseExternal<S extends z.ZodType>(schema: S, object: unknown, kind: string): z.infer<S> {
  const r = schema.safeParse(object);
  if (!r.success) {
    const name = (object as { metadata?: { name?: unknown }; id?: unknown } | null)?.metadata?.name ?? (object as { id?: unknown } | null)?.id;
    throw invalidFromZod(r.error, { kind, ...(typeof name === "string" ? { name } : {}) });
  }
  return r.data;
}
