/**
 * autoscaling/v2 HorizontalPodAutoscaler: keeps the replicas of a scalable workload (Deployment, ReplicaSet,
 * StatefulSet, ReplicationController) between `minReplicas` and `maxReplicas` so that its pods' average use of a
 * resource meets the target (src/controllers/autoscaler). Resource metrics are acted on; Pods, Object and External
 * metrics are stored, and reported as not available (this cluster has no custom metrics API). Also its `behavior`
 * defaults, and the conversion to and from autoscaling/v1 (with Kubernetes' round-trip annotations).
 * TODO: the v1 conversion would sit better in a file of its own (horizontalPodAutoscalerV1.ts).
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

/** The given rules over the defaults, field by field (policies given replace the default ones whole). Pure. */
function rulesOver(given: ScalingRules | undefined, defaults: ScalingRules): ScalingRules {
  return {
    ...defaults, ...(given?.stabilizationWindowSeconds === undefined ? {} : { stabilizationWindowSeconds: given.stabilizationWindowSeconds }),
    ...(given?.selectPolicy === undefined ? {} : { selectPolicy: given.selectPolicy }), ...(given?.policies === undefined ? {} : { policies: given.policies }),
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

type Json = Record<string, unknown>;

/** The annotations in which autoscaling/v1 carries what it has no field for, as Kubernetes names them. */
export const V1_ROUND_TRIP = {
  metrics: "autoscaling.alpha.kubernetes.io/metrics",
  behavior: "autoscaling.alpha.kubernetes.io/behavior",
  currentMetrics: "autoscaling.alpha.kubernetes.io/current-metrics",
  conditions: "autoscaling.alpha.kubernetes.io/conditions",
} as const;

const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
/** `o` without the fields whose value is undefined (as Go leaves out an empty optional). Pure. */
const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
/** The field of `o` named `name` in any case (Go's JSON decoding matches names so). Pure. */
const field = (o: Json, name: string): unknown => Object.entries(o).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/** A v2 metric in autoscaling/v1's words (the v2beta1 shape of its metrics annotation). Pure. */
function metricToV1(m: MetricSpec): Json {
  const source = (m.pods ?? m.object ?? m.external ?? {}) as { metric?: { name?: unknown; selector?: unknown }; target?: Json; describedObject?: unknown };
  const target = source.target ?? {};
  const resource = (r: { name: string; target: MetricTarget }) =>
    defined({ name: r.name, targetAverageUtilization: r.target.averageUtilization, targetAverageValue: r.target.averageValue });
  switch (m.type) {
    case "Resource": return { type: m.type, resource: m.resource && resource(m.resource) };
    case "ContainerResource": return { type: m.type, containerResource: m.containerResource && { ...resource(m.containerResource), container: m.containerResource.container } };
    case "Pods": return { type: m.type, pods: defined({ metricName: source.metric?.name, targetAverageValue: target.averageValue, selector: source.metric?.selector }) };
    case "Object": return { type: m.type, object: defined({
      target: source.describedObject, metricName: source.metric?.name, targetValue: target.value, selector: source.metric?.selector, averageValue: target.averageValue,
    }) };
    case "External": return { type: m.type, external: defined({
      metricName: source.metric?.name, metricSelector: source.metric?.selector, targetValue: target.value, targetAverageValue: target.averageValue,
    }) };
    default: { const never: never = m.type; return never; }
  }
}

/** An autoscaling/v1 metric of the metrics annotation in v2's words (v2's schema checks it after). Pure. */
function metricFromV1(m: Json): Json {
  const type = m.type;
  const source = { Resource: m.resource, ContainerResource: m.containerResource, Pods: m.pods, Object: m.object, External: m.external }[String(type)];
  const src = isJson(source) ? source : {};
  const metric = (name: unknown, selector: unknown) => defined({ name, selector });
  switch (type) {
    case "Resource": case "ContainerResource": {
      const target = src.targetAverageUtilization === undefined ? { type: "AverageValue", averageValue: src.targetAverageValue }
        : defined({ type: "Utilization", averageUtilization: src.targetAverageUtilization, averageValue: src.targetAverageValue });
      return { type, [type === "Resource" ? "resource" : "containerResource"]: defined({ name: src.name, container: src.container, target }) };
    }
    case "Pods": return { type, pods: { metric: metric(src.metricName, src.selector), target: { type: "AverageValue", averageValue: src.targetAverageValue } } };
    case "Object": return { type, object: { describedObject: src.target, metric: metric(src.metricName, src.selector),
      target: defined({ type: src.averageValue === undefined ? "Value" : "AverageValue", value: src.targetValue, averageValue: src.averageValue }) } };
    case "External": return { type, external: { metric: metric(src.metricName, src.metricSelector),
      target: defined({ type: src.targetValue === undefined ? "AverageValue" : "Value", value: src.targetValue, averageValue: src.targetAverageValue }) } };
    default: return m;
  }
}

/** A behavior as Kubernetes writes it in the v1 annotation: its internal Go names, defaults filled in, null where unset. Pure. */
function behaviorToV1(behavior: HorizontalPodAutoscalerBehavior): Json {
  const rules = (r: ScalingRules | undefined) => r && {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null, SelectPolicy: r.selectPolicy ?? null,
    Policies: r.policies?.map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) ?? null,
  };
  const b = defaultedBehavior(behavior);
  return { ScaleUp: rules(b.scaleUp) ?? null, ScaleDown: rules(b.scaleDown) ?? null };
}

/** The behavior annotation in v2's words, or undefined when it says nothing. Pure. */
function behaviorFromV1(o: unknown): Json | undefined {
  if (!isJson(o)) return undefined;
  const rules = (r: unknown) => isJson(r) ? defined({
    stabilizationWindowSeconds: field(r, "stabilizationWindowSeconds") ?? undefined, selectPolicy: field(r, "selectPolicy") ?? undefined,
    policies: (field(r, "policies") as unknown[] | null | undefined)?.map((p) => (isJson(p) ? { type: field(p, "type"), value: field(p, "value"), periodSeconds: field(p, "periodSeconds") } : p)),
  }) : undefined;
  const b = defined({ scaleUp: rules(field(o, "scaleUp")), scaleDown: rules(field(o, "scaleDown")) });
  return Object.keys(b).length > 0 ? b : undefined;
}

/** The annotation's JSON, or undefined when there is none or it does not parse (Kubernetes ignores it then). Pure. */
function parsed(annotations: Record<string, string>, name: string): unknown {
  const text = annotations[name];
  try { return text === undefined ? undefined : JSON.parse(text) as unknown; } catch { return undefined; }
}

/** `annotations` without the round-trip ones, or undefined when nothing is left. Pure. */
function withoutRoundTrip(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  const kept = Object.entries(annotations ?? {}).filter(([k]) => !(Object.values(V1_ROUND_TRIP) as string[]).includes(k));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** `metadata` with `annotations` in place of its own (none when undefined). Pure. */
function withAnnotations(metadata: unknown, annotations: Record<string, string> | undefined): Json {
  const { annotations: _old, ...rest } = isJson(metadata) ? metadata : {};
  return { ...rest, ...(annotations ? { annotations } : {}) };
}

/**
 * An `autoscaling/v1` HorizontalPodAutoscaler (what `kubectl autoscale` sends) as `autoscaling/v2` has it: the metrics
 * of its `autoscaling.alpha.kubernetes.io/metrics` annotation, then its `targetCPUUtilizationPercentage` as a CPU
 * Utilization metric, and the behavior of its `…/behavior` annotation (so a v1 read-modify-write keeps what v1 cannot
 * say, as Kubernetes' conversion does); the round-trip annotations are not kept. The rest of its spec is carried as it
 * is (so a field v1 does not have is refused by v2's schema, by name). Pure.
 */
export function hpaFromV1(o: Json): Json {
  const { spec, status: _status, ...rest } = o as Json & { spec?: Json };
  const metadata = rest.metadata as { annotations?: Record<string, string> } | undefined;
  const annotations = metadata?.annotations ?? {};
  const meta = metadata === undefined ? {} : { metadata: withAnnotations(metadata, withoutRoundTrip(metadata.annotations)) };
  if (typeof spec !== "object" || spec === null) return { ...rest, ...meta, apiVersion: "autoscaling/v2" };
  const { targetCPUUtilizationPercentage: target, ...kept } = spec;
  const others = parsed(annotations, V1_ROUND_TRIP.metrics);
  const cpu = target === undefined ? [] : [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target } } }];
  const all = [...(Array.isArray(others) ? others.map((m) => (isJson(m) ? metricFromV1(m) : m)) : []), ...cpu];
  const behavior = behaviorFromV1(parsed(annotations, V1_ROUND_TRIP.behavior));
  return { ...rest, ...meta, apiVersion: "autoscaling/v2", spec: { ...kept, ...(all.length > 0 ? { metrics: all } : {}), ...(behavior ? { behavior } : {}) } };
}

/**
 * An `autoscaling/v2` HorizontalPodAutoscaler as `autoscaling/v1` shows it: its CPU Utilization target (80 % when it
 * names no metric) and current figure; its other metrics and its `behavior` (with Kubernetes' defaults) in the
 * annotations `autoscaling.alpha.kubernetes.io/metrics` and `…/behavior`, as Kubernetes writes them, for a v1 update
 * to give back. TODO: Kubernetes also shows the status's metrics and conditions in `…/current-metrics` and
 * `…/conditions`; not here. Pure.
 */
export function hpaToV1(o: Json): Json {
  const { spec, status, ...rest } = o as Json & { spec?: HorizontalPodAutoscalerSpec; status?: HorizontalPodAutoscalerStatus };
  const metadata = rest.metadata as { annotations?: Record<string, string> } | undefined;
  if (!spec) return { ...rest, apiVersion: "autoscaling/v1" };
  const { metrics, behavior, ...kept } = spec;
  const isCpu = (m: MetricSpec) => m.type === "Resource" && m.resource?.name === "cpu" && m.resource.target.averageUtilization !== undefined;
  const cpu = (metrics?.length ? metrics : DEFAULT_METRICS).find(isCpu);
  const others = (metrics ?? []).filter((m) => !isCpu(m)).map(metricToV1);
  const annotations = {
    ...withoutRoundTrip(metadata?.annotations),
    ...(others.length > 0 ? { [V1_ROUND_TRIP.metrics]: JSON.stringify(others) } : {}),
    ...(behavior ? { [V1_ROUND_TRIP.behavior]: JSON.stringify(behaviorToV1(behavior)) } : {}),
  };
  const meta = metadata === undefined ? {} : { metadata: withAnnotations(metadata, Object.keys(annotations).length > 0 ? annotations : undefined) };
  const current = status?.currentMetrics?.find((m) => m.resource?.name === "cpu")?.resource?.current.averageUtilization;
  const v1Status = status && {
    ...(status.observedGeneration === undefined ? {} : { observedGeneration: status.observedGeneration }),
    ...(status.lastScaleTime === undefined ? {} : { lastScaleTime: status.lastScaleTime }),
    currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0,
    ...(current === undefined ? {} : { currentCPUUtilizationPercentage: current }),
  };
  const target = cpu?.resource?.target.averageUtilization;
  return { ...rest, ...meta, apiVersion: "autoscaling/v1", spec: { ...kept, ...(target === undefined ? {} : { targetCPUUtilizationPercentage: target }) }, ...(v1Status ? { status: v1Status } : {}) };
}
