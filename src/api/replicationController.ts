/**
 * ReplicationController: the internal object, its v1 and v1beta1 manifests, and the conversion between them.
 * v1beta1 cannot carry `spec.templateRef`, `status.readyReplicas`, `status.observedGeneration`, `status.conditions`,
 * `metadata.generation`, nor what podSpecV1beta1.ts lists.
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec } from "./codec.js";
import { checkTarget, parseWith } from "./manifest.js";
import { ObjectName } from "./names.js";
import { Labels } from "./labels.js";
import { ClientObjectMeta, checkTargetV1beta1, ObjectMeta, StringMap, V1beta1ClientMetaFields, V1beta1StoredMetaFields, clientMetaFromV1beta1, dropUndefined, metaFromV1beta1, metaToV1beta1 } from "./objectMeta.js";
import { PodTemplateSpec } from "./podSpec.js";
import { PodTemplateV1beta1, templateFromV1beta1, templateToV1beta1 } from "./podSpecV1beta1.js";
import { ReplicaCondition } from "./replicaCondition.js";

/** The annotation the replication manager puts on the pods it makes: `replicationcontrollers/<ns>/<name>` (Kubernetes 1.0 wrote `kubernetes.io/created-by`). */
export const CREATED_BY_ANNOTATION = "coxswain.io/created-by";

/** True when every `key=value` of `selector` is among `labels`. Pure. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

const Replicas = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");
const Selector = Labels.refine((s) => Object.keys(s).length > 0, "must not be empty");
const labelsMessage = (selector: Record<string, string>) =>
  `must match the selector (${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",")})`;

/** A v1 spec without a selector selects its template's labels, as Kubernetes defaults it. Pure. */
function selectorDefaulted(v: unknown): unknown {
  if (typeof v !== "object" || v === null || "selector" in v) return v;
  const labels = (v as { template?: { metadata?: { labels?: unknown } } }).template?.metadata?.labels;
  return labels && typeof labels === "object" && Object.keys(labels).length > 0 ? { ...v, selector: labels } : v;
}

/** The desired state: how many pods, which pods (the selector), and what a new pod looks like (exactly one of template and templateRef). */
const ReplicationControllerSpecFields = z
  .strictObject({
    replicas: Replicas.default(1),
    selector: Selector,
    template: PodTemplateSpec.optional(),
    templateRef: z.strictObject({ name: ObjectName }).optional(),
  })
  .superRefine((spec, ctx) => {
    if ((spec.template === undefined) === (spec.templateRef === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: "must specify exactly one of template and templateRef" });
    } else if (spec.template && !selectorMatches(spec.selector, spec.template.metadata.labels)) {
      ctx.addIssue({ code: "custom", path: ["template", "metadata", "labels"], message: labelsMessage(spec.selector) });
    }
  });
export const ReplicationControllerSpec = z.preprocess(selectorDefaulted, ReplicationControllerSpecFields);
export type ReplicationControllerSpec = z.infer<typeof ReplicationControllerSpecFields>;

/** The observed state, written by the replication controller. */
export const ReplicationControllerStatus = z.strictObject({
  replicas: Replicas,
  readyReplicas: Replicas.optional(),
  observedGeneration: z.number().int().nonnegative().optional(),
  conditions: z.array(ReplicaCondition).optional(),
});
export type ReplicationControllerStatus = z.infer<typeof ReplicationControllerStatus>;

/** The internal ReplicationController (the v1 shape). */
export const ReplicationController = z.strictObject({
  kind: z.literal("ReplicationController"),
  metadata: ObjectMeta,
  spec: ReplicationControllerSpec,
  status: ReplicationControllerStatus,
});
export type ReplicationController = z.infer<typeof ReplicationController>;

/** What a client may say when creating a replication controller, in the internal form. */
export interface ReplicationControllerManifest {
  metadata: ClientObjectMeta;
  spec: ReplicationControllerSpec;
}

/** A v1 ReplicationController manifest. */
export const ReplicationControllerV1Manifest = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("ReplicationController").optional(),
  metadata: ClientObjectMeta,
  spec: ReplicationControllerSpec,
});

/** The v1beta1 `desiredState`: `{ replicas, replicaSelector, podTemplate }`; the template's labels must match. */
export const ReplicationControllerStateV1beta1 = z
  .strictObject({ replicas: Replicas.default(1), replicaSelector: Selector, podTemplate: PodTemplateV1beta1 })
  .superRefine((state, ctx) => {
    if (!selectorMatches(state.replicaSelector, state.podTemplate.labels)) {
      ctx.addIssue({ code: "custom", path: ["podTemplate", "labels"], message: labelsMessage(state.replicaSelector) });
    }
  });

/** A v1beta1 (2014) ReplicationController manifest; `currentState` is refused. */
export const ReplicationControllerV1beta1Manifest = z.strictObject({
  apiVersion: z.literal("v1beta1").optional(),
  kind: z.literal("ReplicationController").optional(),
  ...V1beta1ClientMetaFields,
  desiredState: ReplicationControllerStateV1beta1,
});

const ReplicationControllerV1Object = ReplicationController.extend({ apiVersion: z.literal("v1") });
const ReplicationControllerV1beta1Object = z.strictObject({
  apiVersion: z.literal("v1beta1"),
  kind: z.literal("ReplicationController"),
  ...V1beta1StoredMetaFields,
  desiredState: ReplicationControllerStateV1beta1,
  currentState: z.strictObject({ replicas: Replicas }),
});

function specFromV1beta1(state: z.infer<typeof ReplicationControllerStateV1beta1>): ReplicationControllerSpec {
  return { replicas: state.replicas, selector: state.replicaSelector, template: templateFromV1beta1(state.podTemplate) };
}

/** Conversion of ReplicationController objects. Pure. */
export const replicationControllerCodec: KindCodec<ReplicationController, ReplicationControllerManifest> & ExternalReader<ReplicationController> = {
  resource: "replicationcontrollers",
  parseManifest(apiVersion, body, target) {
    if (apiVersion === "v1beta1") {
      const m = parseWith(ReplicationControllerV1beta1Manifest, body, "ReplicationController", target.name);
      const manifest = { metadata: clientMetaFromV1beta1(m), spec: specFromV1beta1(m.desiredState) };
      checkTargetV1beta1(manifest.metadata, target, "ReplicationController", false);
      return manifest;
    }
    const m = parseWith(ReplicationControllerV1Manifest, body, "ReplicationController", target.name);
    checkTarget(m.metadata, target, "ReplicationController", false);
    // Without labels of its own it takes its template's, as Kubernetes defaults them.
    const labels = m.metadata.labels && Object.keys(m.metadata.labels).length > 0 ? m.metadata.labels : m.spec.template?.metadata.labels;
    return { metadata: { ...m.metadata, ...(labels ? { labels } : {}) }, spec: m.spec };
  },
  render(apiVersion, rc) {
    if (apiVersion === "v1beta1") {
      // Limit (docs/architecture.md): a controller with a templateRef renders without a podTemplate; v1beta1 has no way to say it.
      const podTemplate = rc.spec.template && templateToV1beta1(rc.spec.template);
      return {
        kind: "ReplicationController", apiVersion: "v1beta1", ...metaToV1beta1(rc.metadata),
        desiredState: dropUndefined({ replicas: rc.spec.replicas, replicaSelector: rc.spec.selector, podTemplate }),
        currentState: { replicas: rc.status.replicas },
      };
    }
    return { apiVersion: "v1", ...rc };
  },
  fromExternal(apiVersion, object) {
    if (apiVersion === "v1beta1") {
      const o = parseExternal(ReplicationControllerV1beta1Object, object, "ReplicationController");
      return { kind: "ReplicationController", metadata: metaFromV1beta1(o), spec: specFromV1beta1(o.desiredState), status: { replicas: o.currentState.replicas } };
    }
    const { apiVersion: _version, ...rc } = parseExternal(ReplicationControllerV1Object, object, "ReplicationController");
    return rc;
  },
};
