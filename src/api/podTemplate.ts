/**
 * PodTemplate: a first-class, named pod template (which replication controllers may refer to by name),
 * its v1 and v1beta1 manifests, and the conversion between them. It has no status.
 * v1beta1 cannot carry what podSpecV1beta1.ts lists, nor `metadata.generation`.
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec } from "./codec.js";
import { checkTarget, parseWith } from "./manifest.js";
import { ClientObjectMeta, checkTargetV1beta1, ObjectMeta, V1beta1ClientMetaFields, V1beta1StoredMetaFields, clientMetaFromV1beta1, metaFromV1beta1, metaToV1beta1 } from "./objectMeta.js";
import { PodTemplateSpec } from "./podSpec.js";
import { PodTemplateV1beta1, templateFromV1beta1, templateToV1beta1 } from "./podSpecV1beta1.js";

/** The internal PodTemplate (the v1 shape). */
export const PodTemplate = z.strictObject({ kind: z.literal("PodTemplate"), metadata: ObjectMeta, template: PodTemplateSpec });
export type PodTemplate = z.infer<typeof PodTemplate>;

/** What a client may say when creating a pod template, in the internal form. */
export interface PodTemplateManifest {
  metadata: ClientObjectMeta;
  template: PodTemplateSpec;
}

/** A v1 PodTemplate manifest. */
export const PodTemplateV1Manifest = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("PodTemplate").optional(),
  metadata: ClientObjectMeta,
  template: PodTemplateSpec,
});

/** A v1beta1 PodTemplate manifest: `{ id, labels, template: { labels, desiredState: { manifest }, nodeSelector? } }`. */
export const PodTemplateV1beta1Manifest = z.strictObject({
  apiVersion: z.literal("v1beta1").optional(),
  kind: z.literal("PodTemplate").optional(),
  ...V1beta1ClientMetaFields,
  template: PodTemplateV1beta1,
});

const PodTemplateV1Object = PodTemplate.extend({ apiVersion: z.literal("v1") });
const PodTemplateV1beta1Object = z.strictObject({
  apiVersion: z.literal("v1beta1"),
  kind: z.literal("PodTemplate"),
  ...V1beta1StoredMetaFields,
  template: PodTemplateV1beta1,
});

/** Conversion of PodTemplate objects. Pure. */
export const podTemplateCodec: KindCodec<PodTemplate, PodTemplateManifest> & ExternalReader<PodTemplate> = {
  resource: "podtemplates",
  parseManifest(apiVersion, body, target) {
    if (apiVersion === "v1beta1") {
      const m = parseWith(PodTemplateV1beta1Manifest, body, "PodTemplate", target.name);
      const manifest = { metadata: clientMetaFromV1beta1(m), template: templateFromV1beta1(m.template) };
      checkTargetV1beta1(manifest.metadata, target, "PodTemplate", false);
      return manifest;
    }
    const m = parseWith(PodTemplateV1Manifest, body, "PodTemplate", target.name);
    checkTarget(m.metadata, target, "PodTemplate", false);
    return { metadata: m.metadata, template: m.template };
  },
  render(apiVersion, pt) {
    if (apiVersion === "v1beta1") {
      return { kind: "PodTemplate", apiVersion: "v1beta1", ...metaToV1beta1(pt.metadata), template: templateToV1beta1(pt.template) };
    }
    return { apiVersion: "v1", ...pt };
  },
  fromExternal(apiVersion, object) {
    if (apiVersion === "v1beta1") {
      const o = parseExternal(PodTemplateV1beta1Object, object, "PodTemplate");
      return { kind: "PodTemplate", metadata: metaFromV1beta1(o), template: templateFromV1beta1(o.template) };
    }
    const { apiVersion: _version, ...pt } = parseExternal(PodTemplateV1Object, object, "PodTemplate");
    return pt;
  },
};
