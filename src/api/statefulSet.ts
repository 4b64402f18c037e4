/**
 * apps/v1 StatefulSet: `replicas` pods with stable names (`<name>-0`, `<name>-1`, …, from `ordinals.start`) and stable
 * DNS names through its governing headless Service (`serviceName`: each pod's `hostname` and `subdomain`). With
 * `OrderedReady` (the default) they are made one at a time in order, each once the one before it is Running and
 * Ready, and taken away in reverse; `Parallel` makes and takes them all at once. `RollingUpdate` (the default)
 * replaces the pods of an older template from the highest ordinal down to `partition`, one at a time; `OnDelete` only
 * once a user deleted one. Its pods always restart. There are no PersistentVolumes here, so `volumeClaimTemplates` is
 * refused. Its status is its controller's (src/controllers/statefulSet).
 */
import { z } from "zod";
import { selectsTemplate, strategyTypeDefaulted, templateColumns } from "./apps.js";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { LabelSelector } from "./labelSelector.js";
import { DnsLabel } from "./names.js";
import type { ObjectMeta } from "./objectMeta.js";
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
  // Kept as given: with no claims made there is nothing for it to retain or delete.
  persistentVolumeClaimRetentionPolicy: z.strictObject({ whenDeleted: Retention.optional(), whenScaled: Retention.optional() }).optional(),
  volumeClaimTemplates: z.array(z.unknown()).optional(),
}).superRefine((spec, ctx) => {
  selectsTemplate("statefulset")(spec, ctx);
  const policy = spec.template.spec.restartPolicy;
  if (policy !== "Always") ctx.addIssue({ code: "custom", path: ["template", "spec", "restartPolicy"], message: `Unsupported value: "${policy}": supported values: "Always"` });
  if ((spec.volumeClaimTemplates ?? []).length > 0) {
    ctx.addIssue({ code: "custom", path: ["volumeClaimTemplates"], message: "Forbidden: this cluster has no PersistentVolumes: use emptyDir volumes in the template" });
  }
});
export type StatefulSetSpec = z.infer<typeof StatefulSetSpec>;

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
