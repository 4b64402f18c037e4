/**
 * apps/v1 Deployment and ReplicaSet: a ReplicaSet keeps `replicas` pods matching its set-based selector; a
 * Deployment owns ReplicaSets (one per pod template, named by the template's hash) and rolls from one to the next.
 * A selector that does not match the template's labels is Invalid, as in Kubernetes.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { formatLabelSelector, isEmptySelector, LabelSelector, labelSelectorMatches } from "./labelSelector.js";
import { PodTemplateSpec } from "./podSpec.js";
import { ReplicaCondition } from "./replicaCondition.js";

const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");
export const IntOrPercent = z.union([Count, z.string().regex(/^\d+%$/, "must be an integer or a percentage such as 25%")]);
/** An int-or-percent of `total`: the number itself, or the percentage of it rounded up or down. Pure. */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const raw = (Number(value.slice(0, -1)) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** Refuses an empty selector, or one that does not select the template's labels, in the apiserver's words (`kind`: `deployment`, `daemonset`). */
export function selectsTemplate(kind: string) {
  return (spec: { selector: LabelSelector; template: PodTemplateSpec }, ctx: z.RefinementCtx): void => {
    if (isEmptySelector(spec.selector)) ctx.addIssue({ code: "custom", path: ["selector"], message: `empty selector is invalid for ${kind}` });
    else if (!labelSelectorMatches(spec.selector, spec.template.metadata.labels)) {
      ctx.addIssue({ code: "custom", path: ["template", "metadata", "labels"], message: `Invalid value: \`selector\` (${formatLabelSelector(spec.selector)}) does not match template \`labels\`` });
    }
  };
}

/** ReplicaSet spec. */
export const ReplicaSetSpec = z.strictObject({
  replicas: Count.default(1),
  minReadySeconds: Count.optional(),
  selector: LabelSelector,
  template: PodTemplateSpec,
}).superRefine(selectsTemplate("deployment"));
export type ReplicaSetSpec = z.infer<typeof ReplicaSetSpec>;

/** ReplicaSet status, written by its controller. */
export const ReplicaSetStatus = z.strictObject({
  replicas: Count,
  fullyLabeledReplicas: Count.optional(),
  readyReplicas: Count.optional(),
  availableReplicas: Count.optional(),
  observedGeneration: Count.optional(),
  conditions: z.array(ReplicaCondition).optional(),
});
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatus>;

/** How a Deployment replaces its pods. */
export const DeploymentStrategy = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("RollingUpdate"),
    // Each bound left out is 25 %, as Kubernetes defaults it (kubectl describe shows both).
    rollingUpdate: z.strictObject({ maxSurge: IntOrPercent.default("25%"), maxUnavailable: IntOrPercent.default("25%") }).default({ maxSurge: "25%", maxUnavailable: "25%" }),
  }),
  z.strictObject({ type: z.literal("Recreate") }),
]);

/** A strategy without a type is RollingUpdate, as Kubernetes defaults it (`kubectl create deployment` sends `strategy: {}`). Pure. */
export function strategyTypeDefaulted(v: unknown): unknown {
  return typeof v === "object" && v !== null && !("type" in v) ? { type: "RollingUpdate", ...v } : v;
}

/** Deployment spec (defaults as in Kubernetes: 1 replica, RollingUpdate 25 %/25 %, 10 old ReplicaSets kept). */
export const DeploymentSpec = z.strictObject({
  replicas: Count.default(1),
  selector: LabelSelector,
  template: PodTemplateSpec,
  strategy: z.preprocess(strategyTypeDefaulted, DeploymentStrategy).default({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }),
  minReadySeconds: Count.optional(),
  revisionHistoryLimit: Count.default(10),
  progressDeadlineSeconds: Count.default(600),
  paused: z.boolean().optional(),
}).superRefine(selectsTemplate("deployment"));
export type DeploymentSpec = z.infer<typeof DeploymentSpec>;

/** One condition of a Deployment (Available, Progressing). */
export const DeploymentCondition = z.strictObject({
  type: z.string(), status: z.enum(["True", "False", "Unknown"]), reason: z.string().optional(), message: z.string().optional(),
  lastUpdateTime: z.string().optional(), lastTransitionTime: z.string().optional(),
});

/** Deployment status, written by its controller. */
export const DeploymentStatus = z.strictObject({
  observedGeneration: Count.optional(),
  replicas: Count.optional(),
  updatedReplicas: Count.optional(),
  readyReplicas: Count.optional(),
  availableReplicas: Count.optional(),
  unavailableReplicas: Count.optional(),
  conditions: z.array(DeploymentCondition).optional(),
  collisionCount: Count.optional(),
});
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;

/** The ReplicaSet codec and schemas. */
export const replicaSet = groupKindCodec({
  resource: "replicasets", kind: "ReplicaSet", apiVersion: "apps/v1", clusterScoped: false, fields: { spec: ReplicaSetSpec }, status: ReplicaSetStatus,
});
/** The Deployment codec and schemas. */
export const deployment = groupKindCodec({
  resource: "deployments", kind: "Deployment", apiVersion: "apps/v1", clusterScoped: false, fields: { spec: DeploymentSpec }, status: DeploymentStatus,
});

type Workload = { spec: { replicas: number; template: PodTemplateSpec; selector: LabelSelector }; status?: Partial<ReplicaSetStatus & DeploymentStatus> };
/** A workload's wide columns: CONTAINERS IMAGES SELECTOR. */
export const templateColumns = <T extends { spec: { template: PodTemplateSpec; selector: LabelSelector } }>() => [
  column<T>("Containers", "string", 1, "Names of each container in the template.", (o) => o.spec.template.spec.containers.map((c) => c.name).join(",")),
  column<T>("Images", "string", 1, "Images referenced by each container in the template.", (o) => o.spec.template.spec.containers.map((c) => c.image).join(",")),
  column<T>("Selector", "string", 1, "Label selector of the pods.", (o) => formatLabelSelector(o.spec.selector)),
];

/** The ReplicaSet columns: NAME DESIRED CURRENT READY AGE (+ CONTAINERS IMAGES SELECTOR). */
export const replicaSetColumns = [
  nameColumn(),
  column<Workload>("Desired", "integer", 0, "Number of desired pods.", (o) => o.spec.replicas),
  column<Workload>("Current", "integer", 0, "Number of actual pods.", (o) => o.status?.replicas ?? 0),
  column<Workload>("Ready", "integer", 0, "Number of ready pods.", (o) => o.status?.readyReplicas ?? 0),
  ageColumn(),
  ...templateColumns<Workload>(),
];

/** The Deployment columns: NAME READY UP-TO-DATE AVAILABLE AGE (+ CONTAINERS IMAGES SELECTOR). */
export const deploymentColumns = [
  nameColumn(),
  column<Workload>("Ready", "string", 0, "Number of the ready pods out of the desired ones.", (o) => `${o.status?.readyReplicas ?? 0}/${o.spec.replicas}`),
  column<Workload>("Up-to-date", "integer", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", (o) => o.status?.updatedReplicas ?? 0),
  column<Workload>("Available", "integer", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", (o) => o.status?.availableReplicas ?? 0),
  ageColumn(),
  ...templateColumns<Workload>(),
];
