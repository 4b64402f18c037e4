/**
 * apps/v1 StatefulSet: `replicas` pods with stable names (`<name>-0`, `<name>-1`, …, from `ordinals.start`) and stable
 * DNS names through its governing headless Service (`serviceName`: each pod's `hostname` and `subdomain`). With
 * `OrderedReady` (the default) they are made one at a time in order, each once the one before it is Running and
 * Ready, and taken away in reverse; `Parallel` makes and takes them all at once. `RollingUpdate` (the default)
 * replaces the pods of an older template from the highest ordinal down to `partition`, one at a time; `OnDelete` only
 * once a user deleted one. Its pods always restart. Each of its `volumeClaimTemplates` (immutable) gives each pod a
 * PersistentVolumeClaim of its own, `<template>-<name>-<ordinal>`, which the containers' mounts may name by the
 * template's name; `persistentVolumeClaimRetentionPolicy` says whether the claims go with the StatefulSet and with a
 * scale-down (`Delete`) or stay (`Retain`, the default). Its status is its controller's (src/controllers/statefulSet).
 */
import { z } from "zod";
import { selectsTemplate, strategyTypeDefaulted, templateColumns } from "./apps.js";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { Annotations, Labels } from "./labels.js";
import { LabelSelector } from "./labelSelector.js";
import { DnsLabel } from "./names.js";
import type { ObjectMeta } from "./objectMeta.js";
import { PersistentVolumeClaimSpec } from "./persistentVolumeClaim.js";
import { PodTemplateSpec } from "./podSpec.js";

const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");

/** How a StatefulSet replaces its pods when its template changes. */
export const StatefulSetUpdateStrategy = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("RollingUpdate"),
    // One pod at a time: maxUnavailable (alpha in Kubernetes) is not taken.
    rollingUpdate: z.strictObject({ partition: Count.default(0) }).default({ partition: 0 }),
  }),
  z.strictObject({ type: z.literal("OnDelete") }),
]);
export type StatefulSetUpdateStrategy = z.infer<typeof StatefulSetUpdateStrategy>;

const Retention = z.enum(["Retain", "Delete"]);

/** One of a StatefulSet's `volumeClaimTemplates`: the name (a DNS label), labels and annotations, and spec (a claim's, checked as one) of its pods' claims. */
export const VolumeClaimTemplate = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("PersistentVolumeClaim").optional(),
  metadata: z.strictObject({ name: DnsLabel, labels: Labels.optional(), annotations: Annotations.optional() }),
  spec: PersistentVolumeClaimSpec,
});
export type VolumeClaimTemplate = z.infer<typeof VolumeClaimTemplate>;

/** StatefulSet spec (defaults as in Kubernetes: 1 replica, OrderedReady, RollingUpdate from partition 0, 10 revisions kept). */
export const StatefulSetSpec = z.strictObject({
  serviceName: DnsLabel.optional(),
  replicas: Count.default(1),
  selector: LabelSelector,
  template: PodTemplateSpec,
  podManagementPolicy: z.enum(["OrderedReady", "Parallel"]).default("OrderedReady"),
  updateStrategy: z.preprocess(strategyTypeDefaulted, StatefulSetUpdateStrategy).default({ type: "RollingUpdate", rollingUpdate: { partition: 0 } }),
  revisionHistoryLimit: Count.default(10),
  minReadySeconds: Count.optional(),
  ordinals: z.strictObject({ start: Count.default(0) }).optional(),
  persistentVolumeClaimRetentionPolicy: z.strictObject({ whenDeleted: Retention.optional(), whenScaled: Retention.optional() }).optional(),
  volumeClaimTemplates: z.array(VolumeClaimTemplate).optional(),
}).superRefine(mountsMayNameClaims, { when: () => true }).superRefine((spec, ctx) => {
  selectsTemplate("statefulset")(spec, ctx);
  const policy = spec.template.spec.restartPolicy;
  if (policy !== "Always") ctx.addIssue({ code: "custom", path: ["template", "spec", "restartPolicy"], message: `Unsupported value: "${policy}": supported values: "Always"` });
  const names = new Set<string>();
  (spec.volumeClaimTemplates ?? []).forEach((t, i) => {
    if (names.has(t.metadata.name)) ctx.addIssue({ code: "custom", path: ["volumeClaimTemplates", i, "metadata", "name"], message: `Duplicate value: "${t.metadata.name}"` });
    names.add(t.metadata.name);
  });
});
export type StatefulSetSpec = z.infer<typeof StatefulSetSpec>;

/**
 * A container's mount may name a claim template as well as a pod volume (the pod gets a volume of that name, its
 * claim): the pod template's own check, which knows only its volumes, found such a mount `Not found`, and that
 * finding is taken back here (even when other fields were refused, so the refusal names only what is wrong). Pure
 * but for the parse's issues it edits.
 */
function mountsMayNameClaims(spec: { volumeClaimTemplates?: readonly unknown[] | undefined } | undefined, ctx: z.core.ParsePayload): void {
  const templates = Array.isArray(spec?.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  const claims = new Set(templates.map((t) => (t as { metadata?: { name?: unknown } } | undefined)?.metadata?.name).filter((n) => typeof n === "string"));
  if (claims.size === 0) return;
  ctx.issues = ctx.issues.filter((issue) => {
    const [template, podSpec, list, , mounts, , field] = issue.path ?? [];
    const isMountName = issue.path?.length === 7 && template === "template" && podSpec === "spec" && (list === "containers" || list === "initContainers") && mounts === "volumeMounts" && field === "name";
    return !(isMountName && [...claims].some((name) => issue.message === `Not found: "${name}"`));
  });
}

/** StatefulSet status, written by its controller. */
export const StatefulSetStatus = z.strictObject({
  observedGeneration: Count.optional(),
  replicas: Count.optional(),
  readyReplicas: Count.optional(),
  currentReplicas: Count.optional(),
  updatedReplicas: Count.optional(),
  availableReplicas: Count.optional(),
  currentRevision: z.string().optional(),
  updateRevision: z.string().optional(),
  collisionCount: Count.optional(),
  conditions: z.array(z.strictObject({
    type: z.string(), status: z.enum(["True", "False", "Unknown"]), reason: z.string().optional(), message: z.string().optional(), lastTransitionTime: z.string().optional(),
  })).optional(),
});
export type StatefulSetStatus = z.infer<typeof StatefulSetStatus>;

/** A StatefulSet as the controllers read it. */
export interface StatefulSet {
  kind: "StatefulSet";
  metadata: ObjectMeta;
  spec: StatefulSetSpec;
  status?: StatefulSetStatus | undefined;
}

/** The StatefulSet codec and schemas. */
export const statefulSet = groupKindCodec({
  resource: "statefulsets", kind: "StatefulSet", apiVersion: "apps/v1", clusterScoped: false, fields: { spec: StatefulSetSpec }, status: StatefulSetStatus,
});
export const statefulSetCodec = statefulSet.codec;

type StatefulSetLike = { spec: StatefulSetSpec; status?: StatefulSetStatus | undefined };

/** The StatefulSet columns: NAME READY AGE (+ CONTAINERS IMAGES). */
export const statefulSetColumns = [
  nameColumn(),
  column<StatefulSetLike>("Ready", "string", 0, "Number of the pod with ready state", (o) => `${o.status?.readyReplicas ?? 0}/${o.spec.replicas}`),
  ageColumn(),
  ...templateColumns<StatefulSetLike>().slice(0, 2),
];
