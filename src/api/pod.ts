/**
 * Pod: the internal object, its v1 and v1beta1 manifests, and the conversion between them.
 * The spec lives in podSpec.ts (shared with templates), the status in podStatus.ts; what v1beta1 cannot carry
 * is listed there and in podSpecV1beta1.ts (plus `metadata.generation`, see objectMeta.ts).
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec } from "./codec.js";
import { checkTarget, parseWith } from "./manifest.js";
import { Labels } from "./labels.js";
import { ClientObjectMeta, checkTargetV1beta1, finalizable, ObjectMeta, StringMap, V1beta1ClientMetaFields, V1beta1StoredMetaFields, clientMetaFromV1beta1, metaFromV1beta1, metaToV1beta1 } from "./objectMeta.js";
import { PodSpec } from "./podSpec.js";
import { PodDesiredStateV1beta1, podSpecFromV1beta1, podSpecToV1beta1 } from "./podSpecV1beta1.js";
import { PodCurrentStateV1beta1, PodStatus, podStatusFromV1beta1, podStatusToV1beta1, withAddressLists, withoutAddressLists } from "./podStatus.js";
import { StatusError } from "./status.js";

/** The internal Pod (the v1 shape). */
export const Pod = z.strictObject({ kind: z.literal("Pod"), metadata: ObjectMeta, spec: PodSpec, status: PodStatus });
export type Pod = z.infer<typeof Pod>;

/** What a client may say when creating a pod, in the internal form (never a status). */
export interface PodManifest {
  metadata: ClientObjectMeta;
  spec: PodSpec;
}

/** A v1 Pod manifest: `status` is refused as an unknown field. */
export const PodV1Manifest = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("Pod").optional(),
  metadata: finalizable(ClientObjectMeta),
  spec: PodSpec,
});

/** A v1beta1 (2014) Pod manifest: `{ id, labels, desiredState: { manifest, host? }, nodeSelector? }`; `currentState` is refused. */
export const PodV1beta1Manifest = z.strictObject({
  apiVersion: z.literal("v1beta1").optional(),
  kind: z.literal("Pod").optional(),
  ...V1beta1ClientMetaFields,
  desiredState: PodDesiredStateV1beta1,
  nodeSelector: Labels.optional(),
});

/** A whole rendered v1 Pod. */
const PodV1Object = Pod.extend({ apiVersion: z.literal("v1") });

/** A whole rendered v1beta1 Pod. */
const PodV1beta1Object = z.strictObject({
  apiVersion: z.literal("v1beta1"),
  kind: z.literal("Pod"),
  ...V1beta1StoredMetaFields,
  desiredState: PodDesiredStateV1beta1,
  currentState: PodCurrentStateV1beta1,
  nodeSelector: StringMap.optional(),
});

/** Conversion of Pod objects. Pure. */
export const podCodec: KindCodec<Pod, PodManifest> & ExternalReader<Pod> = {
  resource: "pods",
  finalizers: true,
  parseManifest(apiVersion, body, target) {
    if (apiVersion === "v1beta1") {
      const m = parseWith(PodV1beta1Manifest, body, "Pod", target.name);
      const manifestId = m.desiredState.manifest.id;
      if (manifestId !== undefined && manifestId !== m.id) {
        throw new StatusError("Invalid", `Pod "${target.name}" is invalid: data.desiredState.manifest.id: must equal the pod's id "${m.id}"`, {
          kind: "Pod", name: target.name, causes: [{ field: "data.desiredState.manifest.id", message: `must equal the pod's id "${m.id}"` }],
        });
      }
      const manifest = { metadata: clientMetaFromV1beta1(m), spec: podSpecFromV1beta1(m.desiredState, m.nodeSelector) };
      checkTargetV1beta1(manifest.metadata, target, "Pod", false);
      return manifest;
    }
    const m = parseWith(PodV1Manifest, body, "Pod", target.name);
    checkTarget(m.metadata, target, "Pod", false);
    return { metadata: m.metadata, spec: m.spec };
  },
  render(apiVersion, pod) {
    if (apiVersion === "v1beta1") {
      return {
        kind: "Pod", apiVersion: "v1beta1", ...metaToV1beta1(pod.metadata),
        ...podSpecToV1beta1(pod.spec, pod.metadata.name), currentState: podStatusToV1beta1(pod.status, pod.spec.nodeName),
      };
    }
    return { apiVersion: "v1", ...pod, status: withAddressLists(pod.status) };
  },
  fromExternal(apiVersion, object) {
    if (apiVersion === "v1beta1") {
      const o = parseExternal(PodV1beta1Object, object, "Pod");
      const spec = podSpecFromV1beta1(o.desiredState, o.nodeSelector);
      const names = spec.containers.map((c) => c.name);
      return { kind: "Pod", metadata: metaFromV1beta1(o), spec, status: podStatusFromV1beta1(o.currentState, names) };
    }
    const { apiVersion: _version, ...pod } = parseExternal(PodV1Object, object, "Pod");
    return { ...pod, status: withoutAddressLists(pod.status) };
  },
};

/**
 * Whether the pod's deletion is over but for its finalizers (PodDeletionHeld: its grace period of 0 past): it no
 * longer counts against quotas, as Kubernetes stops charging a pod past its deletion's grace period. Pure.
 */
export function deletionHeld(pod: { metadata: { deletionTimestamp?: string | undefined; deletionGracePeriodSeconds?: number | undefined } }): boolean {
  return pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionGracePeriodSeconds === 0;
}
