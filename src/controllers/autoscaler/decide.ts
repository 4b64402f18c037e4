/**
 * The horizontal pod autoscaler's decision, pure: from an autoscaler, its target's replicas, the target's pods and
 * their latest usage, the replica count to ask for and the status to record, by Kubernetes' rules (replica
 * calculator): a count outside [minReplicas, maxReplicas] brought within it first; per Resource metric
 * `ceil(pods × usage ÷ target)`, nothing within 10 % of the target, pods without a sample counted against the move;
 * the largest proposal; down no lower than the window's past recommendations, up at most by the scale rate (see
 * `limit`); within [minReplicas, maxReplicas].
 */
import {
  DEFAULT_METRICS, type AutoscalerCondition, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerStatus, type MetricSpec, type MetricStatus,
} from "../../api/horizontalPodAutoscaler.js";
import type { Pod } from "../../api/pod.js";
import { isSidecarContainer } from "../../api/initContainers.js";
import { milliValue, parseQuantity, unitValue } from "../../api/quantity.js";
import type { PodMetrics } from "../../api/resourceMetrics.js";

/** How far from the target a metric may be before anything moves (Kubernetes' default tolerance). */
export const TOLERANCE = 0.1;
/** The default scale-down stabilization window. */
export const DEFAULT_DOWN_WINDOW_S = 300;

/** What the decision looks at. */
export interface AutoscalerFacts {
  hpa: HorizontalPodAutoscaler;
  /** The target's `spec.replicas`, or undefined when the target is not found. */
  currentReplicas: number | undefined;
  /** The words of a missing target (`deployments.apps "web" not found`). */
  missing?: string;
  /** The target's pods (selected by its selector), not being deleted. */
  pods: readonly Pod[];
  /** The latest usage of the namespace's pods, by pod name. */
  usage: ReadonlyMap<string, PodMetrics>;
  /** The recommendations of the last scale-down window (wall-clock ms), oldest first. */
  recommendations: readonly { atMs: number; replicas: number }[];
  nowMs: number;
  /** `nowMs` as an RFC 3339 time (seconds). */
  now: string;
}

/** What to do. */
export interface AutoscalerDecision {
  /** The replicas to set on the target, when they differ from its current count. */
  scaleTo?: number;
  /** This round's recommendation before stabilization, to keep for the window. */
  recommendation?: number;
  status: HorizontalPodAutoscalerStatus;
}

/** A metric's proposal, or why it has none. */
type Proposal = { replicas: number; status: MetricStatus; words: string } | { error: string; reason: string };

/** The metrics the autoscaler follows: its own, or 80 % of the CPU requests. Pure. */
export function metricsOf(hpa: HorizontalPodAutoscaler): readonly MetricSpec[] {
  return hpa.spec.metrics?.length ? hpa.spec.metrics : DEFAULT_METRICS;
}

/** A resource amount in the unit a utilization is counted in: millicores for cpu, bytes otherwise. Pure. */
function amount(resource: string, quantity: string): number {
  const q = parseQuantity(quantity);
  return Number(resource === "cpu" ? milliValue(q) : unitValue(q));
}

/**
 * The request of `resource` by the pod's containers and sidecars (or the one named), or the words of the first that
 * states none (Kubernetes counts sidecars, whose usage the samples hold too). Pure.
 */
function podRequest(pod: Pod, resource: string, container?: string): number | string {
  let sum = 0;
  const sidecars = (pod.spec.initContainers ?? []).filter(isSidecarContainer);
  for (const c of [...sidecars, ...pod.spec.containers]) {
    if (container !== undefined && c.name !== container) continue;
    const asked = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
    if (asked === undefined) return `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`;
    sum += amount(resource, asked);
  }
  return sum;
}

/** The usage of `resource` in a pod's sample (of its containers, or the one named). Pure. */
function podUsage(m: PodMetrics, resource: string, container?: string): number {
  return m.containers.filter((c) => container === undefined || c.name === container)
    .reduce((sum, c) => sum + amount(resource, (c.usage as unknown as Record<string, string>)[resource] ?? "0"), 0);
}

/** A quantity in kubectl's words: millicores as `250m`, bytes as a whole number. Pure. */
function shown(resource: string, value: number): string {
  return resource === "cpu" ? `${Math.round(value)}m` : String(Math.round(value));
}

/** One Resource or ContainerResource metric's proposal (Kubernetes' replica calculator). Pure. */
function resourceProposal(metric: MetricSpec, facts: AutoscalerFacts, current: number): Proposal {
  const source = metric.resource ?? metric.containerResource;
  if (!source) return { error: `unable to get ${metric.type.toLowerCase()} metric: this cluster has no custom or external metrics API`, reason: `FailedGet${metric.type}Metric` };
  const container = metric.containerResource?.container;
  const name = source.name;
  const reason = metric.containerResource ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
  const running = facts.pods.filter((p) => p.status.phase === "Running" || p.status.phase === "Pending");
  const sampled = running.filter((p) => p.status.phase === "Running" && facts.usage.has(p.metadata.name));
  if (sampled.length === 0) return { error: `failed to get ${name} utilization: unable to get metrics for resource ${name}: no metrics returned from resource metrics API`, reason };
  const missing = running.length - sampled.length;
  const utilization = source.target.type === "Utilization";
  let usage = 0;
  let sampledRequests = 0;
  for (const p of running) {
    const request = podRequest(p, name, container);
    if (typeof request === "string") {
      if (utilization) return { error: `failed to get ${name} utilization: ${request}`, reason };
      continue;
    }
    if (facts.usage.has(p.metadata.name) && p.status.phase === "Running") sampledRequests += request;
  }
  for (const p of sampled) usage += podUsage(facts.usage.get(p.metadata.name) as PodMetrics, name, container);
  if (utilization && sampledRequests === 0) return { error: `failed to get ${name} utilization: no metrics returned matched known pods`, reason };
  const targetValue = utilization ? (source.target.averageUtilization ?? 0) : amount(name, source.target.averageValue ?? "0");
  if (!(targetValue > 0)) return { error: `invalid ${name} target: it must be positive`, reason };
  const per = (u: number, n: number, r: number) => (utilization ? (r === 0 ? 0 : (100 * u) / r) : u / Math.max(1, n));
  const measured = per(usage, sampled.length, sampledRequests);
  const status: MetricStatus = {
    type: metric.type,
    [metric.resource ? "resource" : "containerResource"]: {
      name, ...(container === undefined ? {} : { container }),
      current: utilization ? { averageUtilization: Math.round(measured), averageValue: shown(name, usage / sampled.length) } : { averageValue: shown(name, measured) },
    },
  };
  const words = `${name} resource${utilization ? " utilization (percentage of request)" : ""}`;
  const ratio = measured / targetValue;
  if (missing === 0) return { replicas: Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(ratio * sampled.length), status, words };
  // Pods without a sample count against the move (Kubernetes' rules): going down, a running one as using its whole
  // request (or the target) and a pending one not at all; going up, either as using nothing.
  const up = ratio > 1;
  const unsampled = running.filter((p) => !sampled.includes(p) && (up || p.status.phase === "Running"));
  const unsampledRequests = unsampled.reduce((sum, p) => sum + Math.max(0, Number(podRequest(p, name, container)) || 0), 0);
  const assumed = up ? 0 : utilization ? (unsampledRequests * Math.max(100, targetValue)) / 100 : targetValue * unsampled.length;
  const count = sampled.length + unsampled.length;
  const again = per(usage + assumed, count, sampledRequests + unsampledRequests) / targetValue;
  if (Math.abs(again - 1) <= TOLERANCE || (again > 1) !== up) return { replicas: current, status, words };
  const replicas = Math.ceil(again * count);
  return { replicas: (replicas > current) === up ? replicas : current, status, words };
}

/** `conditions` with `type` set, its transition time kept while its status stays. Pure. */
function withCondition(conditions: AutoscalerCondition[], type: string, status: "True" | "False", reason: string, message: string, now: string, before: readonly AutoscalerCondition[] | undefined): AutoscalerCondition[] {
  const old = before?.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now;
  return [...conditions, { type, status, reason, message, lastTransitionTime }];
}

/** The autoscaler's decision for one round. Pure. */
export function decideAutoscaler(facts: AutoscalerFacts): AutoscalerDecision {
  const { hpa, now } = facts;
  const before = hpa.status?.conditions;
  const base: HorizontalPodAutoscalerStatus = {
    ...(hpa.metadata.generation === undefined ? {} : { observedGeneration: hpa.metadata.generation }),
    ...(hpa.status?.lastScaleTime === undefined ? {} : { lastScaleTime: hpa.status.lastScaleTime }),
  };
  const cond = (list: AutoscalerCondition[], type: string, status: "True" | "False", reason: string, message: string) => withCondition(list, type, status, reason, message, now, before);
  const current = facts.currentReplicas;
  if (current === undefined) {
    const conditions = cond([], "AbleToScale", "False", "FailedGetScale", `the HPA controller was unable to get the target's current scale: ${facts.missing ?? "not found"}`);
    return { status: { ...base, currentReplicas: hpa.status?.currentReplicas ?? 0, desiredReplicas: hpa.status?.desiredReplicas ?? 0, conditions } };
  }
  if (current === 0) {
    const conditions = cond(cond([], "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale"),
      "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
    return { status: { ...base, currentReplicas: 0, desiredReplicas: 0, conditions } };
  }
  const min = hpa.spec.minReplicas ?? 1;
  const outside = current > hpa.spec.maxReplicas ? hpa.spec.maxReplicas : current < min ? min : undefined;
  if (outside !== undefined) {
    // Kubernetes brings the count within [min, max] before it reads any metric.
    const conditions = cond(cond([], "AbleToScale", "True", "SucceededRescale", `the HPA controller was able to update the target scale to ${outside}`),
      "ScalingLimited", "True", outside < current ? "TooManyReplicas" : "TooFewReplicas",
      outside < current ? "the desired replica count is more than the maximum replica count" : "the desired replica count is less than the minimum replica count");
    return { scaleTo: outside, status: { ...base, lastScaleTime: now, currentReplicas: current, desiredReplicas: outside, conditions } };
  }
  const proposals = metricsOf(hpa).map((m) => resourceProposal(m.type === "Resource" || m.type === "ContainerResource" ? m : { type: m.type }, facts, current));
  const valid = proposals.filter((p): p is Extract<Proposal, { replicas: number }> => "replicas" in p);
  const failed = proposals.find((p): p is Extract<Proposal, { error: string }> => "error" in p);
  const best = valid.reduce<Extract<Proposal, { replicas: number }> | undefined>((a, b) => (a === undefined || b.replicas > a.replicas ? b : a), undefined);
  // With a metric failing, never scale down on the others alone: that is a failure too.
  if (best === undefined || (failed && best.replicas < current)) {
    const conditions = cond(cond([], "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale"),
      "ScalingActive", "False", failed?.reason ?? "FailedGetResourceMetric", `the HPA was unable to compute the replica count: ${failed?.error ?? "no metrics"}`);
    return { status: { ...base, currentReplicas: current, desiredReplicas: hpa.status?.desiredReplicas ?? current, conditions } };
  }
  const proposed = best.replicas;
  const windowMs = 1000 * (hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? DEFAULT_DOWN_WINDOW_S);
  const recent = facts.recommendations.filter((r) => r.atMs > facts.nowMs - windowMs).map((r) => r.replicas);
  const stabilized = Math.min(Math.max(proposed, ...recent), Math.max(proposed, current));
  const { replicas: limited, reason, message } = limit(hpa, current, stabilized);
  const scaled = limited !== current;
  const held = !scaled && stabilized > proposed && proposed < current;
  const [able, ableWords] = scaled ? ["SucceededRescale", `the HPA controller was able to update the target scale to ${limited}`]
    : held ? ["ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"]
      : ["ReadyForNewScale", "recommended size matches current size"];
  const conditions = cond(cond(cond([], "AbleToScale", "True", able, ableWords),
    "ScalingActive", "True", "ValidMetricFound", `the HPA was able to successfully calculate a replica count from ${best.words}`),
    "ScalingLimited", reason === "DesiredWithinRange" ? "False" : "True", reason, message);
  const status: HorizontalPodAutoscalerStatus = {
    ...base, ...(scaled ? { lastScaleTime: now } : {}), currentReplicas: current, desiredReplicas: limited, currentMetrics: valid.map((p) => p.status), conditions,
  };
  return { ...(scaled ? { scaleTo: limited } : {}), recommendation: proposed, status };
}

/**
 * The replicas within the scale rate and [minReplicas, maxReplicas], and the ScalingLimited words: up at most to
 * max(2 × current, 4) (with `behavior`, its default policies: max(2 × current, current + 4) per 15 s), nothing
 * where the direction's `selectPolicy` is Disabled. Pure.
 */
function limit(hpa: HorizontalPodAutoscaler, current: number, desired: number): { replicas: number; reason: string; message: string } {
  const min = hpa.spec.minReplicas ?? 1;
  const max = hpa.spec.maxReplicas;
  const behavior = hpa.spec.behavior;
  const upLimit = behavior?.scaleUp?.selectPolicy === "Disabled" ? current : behavior ? Math.max(2 * current, current + 4) : Math.max(2 * current, 4);
  if (desired > upLimit && upLimit < max) return { replicas: upLimit, reason: "ScaleUpLimit", message: "the desired replica count is increasing faster than the maximum scale rate" };
  if (desired < current && behavior?.scaleDown?.selectPolicy === "Disabled") {
    return { replicas: current, reason: "ScaleDownLimit", message: "the desired replica count is decreasing faster than the maximum scale rate" };
  }
  if (desired > max) return { replicas: max, reason: "TooManyReplicas", message: "the desired replica count is more than the maximum replica count" };
  if (desired < min) return { replicas: min, reason: "TooFewReplicas", message: "the desired replica count is less than the minimum replica count" };
  return { replicas: desired, reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" };
}
