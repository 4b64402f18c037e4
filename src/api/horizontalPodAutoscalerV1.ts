/**
 * autoscaling/v1 HorizontalPodAutoscaler (what `kubectl autoscale` writes): the conversion to and from autoscaling/v2,
 * the stored version, with Kubernetes' round-trip annotations for what v1 has no field for.
 */
import {
  DEFAULT_METRICS, defaultedBehavior, type HorizontalPodAutoscalerBehavior, type HorizontalPodAutoscalerSpec, type HorizontalPodAutoscalerStatus,
  type MetricSpec, type MetricTarget, type ScalingRules,
} from "./horizontalPodAutoscaler.js";

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
 * to give back. (Kubernetes also shows the status's metrics and conditions in `…/current-metrics` and
 * `…/conditions`; not here.) Pure.
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
