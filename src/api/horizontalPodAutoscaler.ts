/**
 * autoscaling/v2 HorizontalPodAutoscaler: keeps the replicas of a scalable workload (Deployment, ReplicaSet,
 * StatefulSet, ReplicationController) between `minReplicas` and `maxReplicas` so that its pods' average use of a
 * resource meets the target (src/controllers/autoscaler). Resource metrics are acted on; Pods, Object and External
 * metrics are stored, and reported as not available (this cluster has no custom metrics API). Also its `behavior`
 * defaults. Its conversion to and from autoscaling/v1 is horizontalPodAutoscalerV1.ts.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import type { ObjectMeta } from "./objectMeta.js";
import { requiredString } from "./requiredString.js";
import { milliValue, parseQuantity, ResourceQuantity, unitValue } from "./quantity.js";

const Positive = z.number().int("must be an integer").min(1, "must be greater than or equal to 1");
const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");

/** A quantity above zero. */
const PositiveQuantity = ResourceQuantity.refine((q) => Number(unitValue(parseQuantity(q))) > 0 || Number(milliValue(parseQuantity(q))) > 0, {
  error: (issue) => `Invalid value: ${JSON.stringify(issue.input)}: must be positive`,
});

/** What a metric aims at: a utilization of the pods' requests (percent), or an average or total value. */
export const MetricTarget = z.strictObject({
  type: z.enum(["Utilization", "Value", "AverageValue"]),
  averageUtilization: z.number().int("must be an integer").min(1, "must be greater than 0").optional(),
  averageValue: PositiveQuantity.optional(),
  value: PositiveQuantity.optional(),
}).superRefine((t, ctx) => {
  const needs = { Utilization: "averageUtilization", AverageValue: "averageValue", Value: "value" } as const;
  if (t[needs[t.type]] === undefined) ctx.addIssue({ code: "custom", path: [needs[t.type]], message: `Required value: must set either a target value for metric or a target utilization` });
});
export type MetricTarget = z.infer<typeof MetricTarget>;

/** A resource metric aims at a utilization or an average value, never a total. */
function averagedTarget(source: { target: MetricTarget }, ctx: z.RefinementCtx): void {
  if (source.target.averageUtilization === undefined && source.target.averageValue === undefined) {
    ctx.addIssue({ code: "custom", path: ["target"], message: "Required value: must set either a target raw value or a target utilization" });
  }
}

/** A resource of the pods (cpu, memory), or of one container of each (`ContainerResource`). */
const ResourceMetricSource = z.strictObject({ name: requiredString(), target: MetricTarget }).superRefine(averagedTarget);
const ContainerResourceMetricSource = z.strictObject({ name: requiredString(), container: requiredString(), target: MetricTarget }).superRefine(averagedTarget);

/** One metric the autoscaler follows: exactly the source its `type` names. */
export const MetricSpec = z.strictObject({
  type: z.enum(["Resource", "ContainerResource", "Pods", "Object", "External"]),
  resource: ResourceMetricSource.optional(),
  containerResource: ContainerResourceMetricSource.optional(),
  pods: z.looseObject({}).optional(),
  object: z.looseObject({}).optional(),
  external: z.looseObject({}).optional(),
}).superRefine((m, ctx) => {
  const field = { Resource: "resource", ContainerResource: "containerResource", Pods: "pods", Object: "object", External: "external" } as const;
  if (m[field[m.type]] === undefined) ctx.addIssue({ code: "custom", path: [field[m.type]], message: `Required value: must populate information for the given metric source` });
});
export type MetricSpec = z.infer<typeof MetricSpec>;

/** How fast the replicas may move one way: policies per period, and a window of past recommendations to follow. */
const ScalingRules = z.strictObject({
  stabilizationWindowSeconds: z.number().int().min(0).max(3600).optional(),
  selectPolicy: z.enum(["Max", "Min", "Disabled"]).optional(),
  policies: z.array(z.strictObject({ type: z.enum(["Pods", "Percent"]), value: Positive, periodSeconds: Positive.max(1800) }))
    .min(1, "Required value: must specify at least one Policy").optional(),
});
export type ScalingRules = z.infer<typeof ScalingRules>;

/** How fast the replicas may move up and down. */
const Behavior = z.strictObject({ scaleUp: ScalingRules.optional(), scaleDown: ScalingRules.optional() });
export type HorizontalPodAutoscalerBehavior = z.infer<typeof Behavior>;

/** Kubernetes' scale-up rules where a behavior gives none: no window; the most of 4 pods or 100 % per 15 s. */
export const SCALE_UP_DEFAULTS = {
  stabilizationWindowSeconds: 0, selectPolicy: "Max",
  policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }],
} as const satisfies ScalingRules;
/** Kubernetes' scale-down rules where a behavior gives none: 100 % per 15 s (the window is the controller's, 300 s). */
export const SCALE_DOWN_DEFAULTS = { selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] } as const satisfies ScalingRules;

/**
 * The given rules over the defaults, field by field (policies given replace the default ones whole; an empty list,
 * which writes refuse but an autoscaler stored before may hold, is none). Pure.
 */
function rulesOver(given: ScalingRules | undefined, defaults: ScalingRules): ScalingRules {
  return {
    ...defaults, ...(given?.stabilizationWindowSeconds === undefined ? {} : { stabilizationWindowSeconds: given.stabilizationWindowSeconds }),
    ...(given?.selectPolicy === undefined ? {} : { selectPolicy: given.selectPolicy }), ...(given?.policies?.length ? { policies: given.policies } : {}),
  };
}

/**
 * A behavior with what Kubernetes fills in when one is written (SetDefaults_HorizontalPodAutoscalerBehavior): each
 * direction's rules over its defaults. Pure.
 */
export function defaultedBehavior(behavior: HorizontalPodAutoscalerBehavior): HorizontalPodAutoscalerBehavior {
  return { scaleUp: rulesOver(behavior.scaleUp, SCALE_UP_DEFAULTS), scaleDown: rulesOver(behavior.scaleDown, SCALE_DOWN_DEFAULTS) };
}

/** HorizontalPodAutoscaler spec, in the apiserver's words where it refuses one. */
export const HorizontalPodAutoscalerSpec = z.strictObject({
  scaleTargetRef: z.strictObject({ apiVersion: z.string().optional(), kind: requiredString(), name: requiredString() }),
  minReplicas: Positive.default(1),
  maxReplicas: Positive,
  metrics: z.array(MetricSpec).optional(),
  behavior: Behavior.optional(),
}).superRefine((spec, ctx) => {
  if (spec.maxReplicas < (spec.minReplicas ?? 1)) {
    ctx.addIssue({ code: "custom", path: ["maxReplicas"], message: `Invalid value: ${spec.maxReplicas}: must be greater than or equal to \`minReplicas\`` });
  }
});
export type HorizontalPodAutoscalerSpec = z.infer<typeof HorizontalPodAutoscalerSpec>;

/** A metric as last measured. */
const MetricValue = z.strictObject({ averageUtilization: Count.optional(), averageValue: z.string().optional(), value: z.string().optional() });
export const MetricStatus = z.strictObject({
  type: z.string(),
  resource: z.strictObject({ name: z.string(), current: MetricValue }).optional(),
  containerResource: z.strictObject({ name: z.string(), container: z.string(), current: MetricValue }).optional(),
});
export type MetricStatus = z.infer<typeof MetricStatus>;

/** An autoscaler condition: AbleToScale, ScalingActive, ScalingLimited. */
export const AutoscalerCondition = z.strictObject({
  type: z.string(), status: z.enum(["True", "False", "Unknown"]), reason: z.string().optional(), message: z.string().optional(), lastTransitionTime: z.string().optional(),
});
export type AutoscalerCondition = z.infer<typeof AutoscalerCondition>;

/** HorizontalPodAutoscaler status: what the autoscaler saw and did last. */
export const HorizontalPodAutoscalerStatus = z.strictObject({
  observedGeneration: Count.optional(),
  lastScaleTime: z.string().optional(),
  currentReplicas: Count.optional(),
  desiredReplicas: Count.optional(),
  currentMetrics: z.array(MetricStatus).optional(),
  conditions: z.array(AutoscalerCondition).optional(),
});
export type HorizontalPodAutoscalerStatus = z.infer<typeof HorizontalPodAutoscalerStatus>;

/** A HorizontalPodAutoscaler as the controllers read it. */
export interface HorizontalPodAutoscaler {
  kind: "HorizontalPodAutoscaler";
  metadata: ObjectMeta;
  spec: HorizontalPodAutoscalerSpec;
  status?: HorizontalPodAutoscalerStatus | undefined;
}

/** The metrics of an autoscaler that names none: 80 % of the pods' CPU requests, as Kubernetes defaults it. */
export const DEFAULT_METRICS: readonly MetricSpec[] = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];

/** The HorizontalPodAutoscaler codec and schemas. */
export const horizontalPodAutoscaler = groupKindCodec({
  resource: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", apiVersion: "autoscaling/v2", clusterScoped: false,
  fields: { spec: HorizontalPodAutoscalerSpec }, status: HorizontalPodAutoscalerStatus,
});
export const horizontalPodAutoscalerCodec = horizontalPodAutoscaler.codec;

type AutoscalerLike = { spec: HorizontalPodAutoscalerSpec; status?: HorizontalPodAutoscalerStatus | undefined };

/** One metric as kubectl's TARGETS shows it: `cpu: 45%/80%`, `memory: <unknown>/200Mi`. Pure. */
function targetText(spec: MetricSpec, current: readonly MetricStatus[] | undefined): string {
  const source = spec.resource ?? spec.containerResource;
  if (!source) return `<${spec.type.toLowerCase()} metric>`;
  const seen = current?.find((m) => (m.resource ?? m.containerResource)?.name === source.name)?.[spec.resource ? "resource" : "containerResource"]?.current;
  const t = source.target;
  const [now, goal] = t.type === "Utilization"
    ? [seen?.averageUtilization === undefined ? "<unknown>" : `${seen.averageUtilization}%`, `${t.averageUtilization ?? 0}%`]
    : [seen?.averageValue ?? seen?.value ?? "<unknown>", t.averageValue ?? t.value ?? ""];
  return `${source.name}: ${now}/${goal}`;
}

/** The TARGETS column: the first two metrics, then how many more. Pure. */
export function autoscalerTargets(o: AutoscalerLike): string {
  const metrics = o.spec.metrics?.length ? o.spec.metrics : DEFAULT_METRICS;
  const shown = metrics.slice(0, 2).map((m) => targetText(m, o.status?.currentMetrics)).join(", ");
  return metrics.length > 2 ? `${shown} + ${metrics.length - 2} more...` : shown;
}

/** The HorizontalPodAutoscaler columns: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE. */
export const horizontalPodAutoscalerColumns = [
  nameColumn(),
  column<AutoscalerLike>("Reference", "string", 0, "The target of the autoscaler.", (o) => `${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}`),
  column<AutoscalerLike>("Targets", "string", 0, "The current and target values of its metrics.", autoscalerTargets),
  column<AutoscalerLike>("MinPods", "string", 0, "The lower limit for the number of pods.", (o) => String(o.spec.minReplicas ?? "<unset>")),
  column<AutoscalerLike>("MaxPods", "integer", 0, "The upper limit for the number of pods.", (o) => o.spec.maxReplicas),
  column<AutoscalerLike>("Replicas", "integer", 0, "The current number of replicas.", (o) => o.status?.currentReplicas ?? 0),
  ageColumn(),
];
