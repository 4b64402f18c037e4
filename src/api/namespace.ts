/** Namespace: the internal object, its v1 and v1beta1 manifests, and the conversion between them. */
import { z } from "zod";
import type { KindCodec, ManifestTarget } from "./codec.js";
import { DnsLabel } from "./names.js";
import { ClientObjectMeta, ObjectMeta, StringMap } from "./objectMeta.js";
import { checkTarget, parseWith } from "./manifest.js";

/** Namespace phases. */
export const NamespacePhase = z.enum(["Active", "Terminating"]);

/** The internal Namespace (the v1 shape). */
export const Namespace = z.strictObject({
  kind: z.literal("Namespace"),
  metadata: ObjectMeta,
  spec: z.strictObject({ finalizers: z.array(z.string()).optional() }),
  status: z.strictObject({ phase: NamespacePhase }),
});
export type Namespace = z.infer<typeof Namespace>;

/** What a client may say when creating a namespace, in the internal form. */
export interface NamespaceManifest {
  metadata: ClientObjectMeta;
  spec: Namespace["spec"];
}

/** A v1 Namespace manifest. */
export const NamespaceV1Manifest = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("Namespace").optional(),
  metadata: ClientObjectMeta,
  spec: z.strictObject({ finalizers: z.array(z.string()).optional() }).optional(),
});

/** A v1beta1 (2014) Namespace manifest: the name is `id`, labels sit at the top. */
export const NamespaceV1beta1Manifest = z.strictObject({
  apiVersion: z.literal("v1beta1").optional(),
  kind: z.literal("Namespace").optional(),
  id: DnsLabel,
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
});

/** Conversion of Namespace objects. Pure. */
export const namespaceCodec: KindCodec<Namespace, NamespaceManifest> = {
  resource: "namespaces",
  parseManifest(apiVersion, body, target: ManifestTarget) {
    if (apiVersion === "v1beta1") {
      const m = parseWith(NamespaceV1beta1Manifest, body, "Namespace", target.name);
      const manifest = { metadata: { name: m.id, labels: m.labels, annotations: m.annotations }, spec: {} };
      checkTarget(manifest.metadata, target, "Namespace", true);
      return manifest;
    }
    const m = parseWith(NamespaceV1Manifest, body, "Namespace", target.name);
    checkTarget(m.metadata, target, "Namespace", true);
    return { metadata: m.metadata, spec: m.spec ?? {} };
  },
  render(apiVersion, ns) {
    if (apiVersion === "v1beta1") {
      const { name, uid, labels, annotations, creationTimestamp, resourceVersion } = ns.metadata;
      return dropUndefined({
        kind: "Namespace", apiVersion: "v1beta1", id: name, uid, creationTimestamp,
        resourceVersion: resourceVersion === undefined ? undefined : Number(resourceVersion),
        labels, annotations, status: ns.status,
      });
    }
    return { apiVersion: "v1", ...ns };
  },
};

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
