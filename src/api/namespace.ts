/**
 * Namespace: the internal object, its v1 and v1beta1 manifests, and the conversion between them.
 * v1beta1 cannot carry `spec.finalizers` nor `metadata.generation`.
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec, ManifestTarget } from "./codec.js";
import { DnsLabel } from "./names.js";
import { Annotations, Labels } from "./labels.js";
import { ClientObjectMeta, checkTargetV1beta1, LabelNamedClientMeta, ObjectMeta, StringMap, V1beta1StoredMetaFields, dropUndefined, metaFromV1beta1, metaToV1beta1 } from "./objectMeta.js";
import { checkTarget, parseWith } from "./manifest.js";

/** Namespaces that exist from the first start and may not be deleted (Kubernetes' immortal namespaces). */
export const PROTECTED_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public"];

/** The namespaces a cluster has from its first start, as Kubernetes makes them (kube-node-lease may be deleted). */
export const SYSTEM_NAMESPACES: readonly string[] = [...PROTECTED_NAMESPACES, "kube-node-lease"];

/** The label every namespace carries with its own name, as Kubernetes sets it (namespace selectors match on it). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** `labels` with the namespace's name label set to `name` (a client's own value is replaced, as Kubernetes does). Pure. */
export function withNameLabel(labels: Record<string, string> | undefined, name: string): Record<string, string> {
  return { ...labels, [NAMESPACE_NAME_LABEL]: name };
}

/** Namespace phases. */
export const NamespacePhase = z.enum(["Active", "Terminating"]);
export type NamespacePhase = z.infer<typeof NamespacePhase>;

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
  metadata: LabelNamedClientMeta,
  spec: z.strictObject({ finalizers: z.array(z.string()).optional() }).optional(),
});

/** A v1beta1 (2014) Namespace manifest: the name is `id`, labels sit at the top. */
export const NamespaceV1beta1Manifest = z.strictObject({
  apiVersion: z.literal("v1beta1").optional(),
  kind: z.literal("Namespace").optional(),
  id: DnsLabel,
  labels: Labels.optional(),
  annotations: Annotations.optional(),
});

/** Conversion of Namespace objects. Pure. */
export const namespaceCodec: KindCodec<Namespace, NamespaceManifest> & ExternalReader<Namespace> = {
  resource: "namespaces",
  parseManifest(apiVersion, body, target: ManifestTarget) {
    if (apiVersion === "v1beta1") {
      const m = parseWith(NamespaceV1beta1Manifest, body, "Namespace", target.name);
      const manifest = { metadata: dropUndefined({ name: m.id, labels: m.labels, annotations: m.annotations }), spec: {} };
      checkTargetV1beta1(manifest.metadata, target, "Namespace", true);
      return manifest;
    }
    const m = parseWith(NamespaceV1Manifest, body, "Namespace", target.name);
    checkTarget(m.metadata, target, "Namespace", true);
    return { metadata: m.metadata, spec: m.spec ?? {} };
  },
  render(apiVersion, ns) {
    if (apiVersion === "v1beta1") {
      // metaToV1beta1 leaves out a resourceVersion that is not a number instead of rendering NaN.
      return { kind: "Namespace", apiVersion: "v1beta1", ...metaToV1beta1(ns.metadata), status: ns.status };
    }
    return { apiVersion: "v1", ...ns };
  },
  fromExternal(apiVersion, object) {
    if (apiVersion === "v1beta1") {
      const o = parseExternal(NamespaceV1beta1Object, object, "Namespace");
      return { kind: "Namespace", metadata: metaFromV1beta1(o), spec: {}, status: o.status };
    }
    const { apiVersion: _version, ...ns } = parseExternal(NamespaceV1Object, object, "Namespace");
    return ns;
  },
};

const NamespaceV1Object = Namespace.extend({ apiVersion: z.literal("v1") });
const NamespaceV1beta1Object = z.strictObject({
  apiVersion: z.literal("v1beta1"),
  kind: z.literal("Namespace"),
  ...V1beta1StoredMetaFields,
  status: z.strictObject({ phase: NamespacePhase }),
});
