/**
 * The horizontal pod autoscaler's decision, pure: from an autoscaler, its target's replicas, the target's pods and
 * their latest usage, the replica count to ask for and the status to record, by Kubernetes' rules (replica
 * calculator): per Resource metric `ceil(pods × usage ÷ target)`, nothing within 10 % of the target, pods without a
 * sample counted against the move; the largest proposal; down no lower than the window's past recommendations, up at
 * most to twice (or 4 more than) the current count; within [minReplicas, maxReplicas].
 */
import {
  DEFAULT_METRICS, type AutoscalerCondition, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerStatus, type MetricSpec, type MetricStatus,
} from "../../api/horizontalPodAutoscaler.js";
import type { Pod } from "../../api/pod.js";
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

/** The request of `resource` by the pod's containers (or the one named), or undefined when one states none. Pure. */
function podRequest(pod: Pod, resource: string, container?: string): number | undefined {
  let sum = 0;
  for (const c of pod.spec.containers) {
    if (container !== undefined && c.name !== container) continue;
    const asked = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
    if (asked === undefined) return undefined;
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
  let requests = 0;
  for (const p of running) {
    const request = podRequest(p, name, container);
    if (request === undefined && utilization) return { error: `failed to get ${name} utilization: missing request for ${name} in containers of Pod ${p.metadata.name}`, reason };
    requests += request ?? 0;
  }
  for (const p of sampled) usage += podUsage(facts.usage.get(p.metadata.name) as PodMetrics, name, container);
  const sampledRequests = sampled.reduce((s, p) => s + (podRequest(p, name, container) ?? 0), 0);
  const targetValue = utilization ? (source.target.averageUtilization ?? 100) : amount(name, source.target.averageValue ?? source.target.value ?? "0");
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
  let ratio = measured / targetValue;
  if (Math.abs(ratio - 1) <= TOLERANCE) return { replicas: current, status, words };
  if (missing === 0) return { replicas: Math.ceil(ratio * sampled.length), status, words };
  // Pods without a sample count against the move: as using their whole request going down, nothing going up.
  const missingRequests = requests - sampledRequests;
  const assumed = ratio < 1 ? (utilization ? missingRequests : targetValue * missing) : 0;
  const again = per(usage + assumed, running.length, requests);
  const before = ratio;
  ratio = again / targetValue;
  if (Math.abs(ratio - 1) <= TOLERANCE || (before > 1) !== (ratio > 1)) return { replicas: current, status, words };
  return { replicas: Math.ceil(ratio * running.length), status, words };
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
  const proposals = metricsOf(hpa).map((m) => resourceProposal(m.type === "Resource" || m.type === "ContainerResource" ? m : { type: m.type }, facts, current));
  const valid = proposals.filter((p): p is Extract<Proposal, { replicas: number }> => "replicas" in p);
  const failed = proposals.find((p): p is Extract<Proposal, { error: string }> => "error" in p);
  const currentMetrics = valid.map((p) => p.status);
  if (valid.length === 0) {
    const conditions = cond(cond([], "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale"),
      "ScalingActive", "False", failed?.reason ?? "FailedGetResourceMetric", `the HPA was unable to compute the replica count: ${failed?.error ?? "no metrics"}`);
    return { status: { ...base, currentReplicas: current, desiredReplicas: hpa.status?.desiredReplicas ?? current, conditions } };
  }
  const best = valid.reduce((a, b) => (b.replicas > a.replicas ? b : a));
  // With a metric failing, never scale down on the others alone.
  const proposed = failed && best.replicas < current ? current : best.replicas;
  const windowMs = 1000 * (hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? DEFAULT_DOWN_WINDOW_S);
  const recent = facts.recommendations.filter((r) => r.atMs > facts.nowMs - windowMs).map((r) => r.replicas);
  const stabilized = Math.min(Math.max(proposed, ...recent), Math.max(proposed, current));
  const { replicas: limited, reason, message } = limit(hpa, current, stabilized);
  const scaled = limited !== current;
  const conditions = cond(cond(cond([],
    "AbleToScale", "True", scaled ? "SucceededRescale" : "ReadyForNewScale",
    scaled ? `the HPA controller was able to update the target scale to ${limited}` : "recommended size matches current size"),
    "ScalingActive", "True", "ValidMetricFound", `the HPA was able to successfully calculate a replica count from ${best.words}`),
    "ScalingLimited", reason === "DesiredWithinRange" ? "False" : "True", reason, message);
  const status: HorizontalPodAutoscalerStatus = {
    ...base, ...(scaled ? { lastScaleTime: now } : {}), currentReplicas: current, desiredReplicas: limited, currentMetrics, conditions,
  };
  return { ...(scaled ? { scaleTo: limited } : {}), recommendation: proposed, status };
}

/** The replicas within the scale-up rate and [minReplicas, maxReplicas], and the ScalingLimited words. Pure. */
function limit(hpa: HorizontalPodAutoscaler, current: number, desired: number): { replicas: number; reason: string; message: string } {
  const min = hpa.spec.minReplicas ?? 1;
  const max = hpa.spec.maxReplicas;
  const upLimit = Math.max(2 * current, current + 4);
  if (desired > upLimit && upLimit < max) return { replicas: upLimit, reason: "ScaleUpLimit", message: "the desired replica count is increasing faster than the maximum scale rate" };
  if (desired > max) return { replicas: max, reason: "TooManyReplicas", message: "the desired replica count is more than the maximum replica count" };
  if (desired < min) return { replicas: min, reason: "TooFewReplicas", message: "the desired replica count is less than the minimum replica count" };
  return { replicas: desired, reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" };
}
