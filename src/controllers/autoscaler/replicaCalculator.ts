/**
 * The replica calculator, pure: what one Resource (or ContainerResource) metric proposes from the target's pods and
 * their latest usage, by Kubernetes' rules: `ceil(pods × usage ÷ target)`, nothing within 10 % of the target, pods
 * without a sample counted against the move. Utilization is whole percents, truncated (`usage × 100 ÷ requests`, in
 * integers, as Kubernetes' GetResourceUtilizationRatio), and an average value truncated to thousandths of the unit
 * (millicores), before either is compared with the target.
 */
import { DEFAULT_METRICS, type HorizontalPodAutoscaler, type MetricSpec, type MetricStatus } from "../../api/horizontalPodAutoscaler.js";
import type { Pod } from "../../api/pod.js";
import { isSidecarContainer } from "../../api/initContainers.js";
import { milliValue, parseQuantity, unitValue } from "../../api/quantity.js";
import type { PodMetrics } from "../../api/resourceMetrics.js";

/** How far from the target a metric may be before anything moves (Kubernetes' default tolerance). */
export const TOLERANCE = 0.1;

/** A metric's proposal, or why it has none. */
export type Proposal = { replicas: number; status: MetricStatus; words: string } | { error: string; reason: string };

/** What the calculator reads: the target's pods (not being deleted) and the latest usage by pod name. */
export interface PodsAndUsage {
  pods: readonly Pod[];
  usage: ReadonlyMap<string, PodMetrics>;
}

/** The metrics the autoscaler follows: its own, or 80 % of the CPU requests. Pure. */
export function metricsOf(hpa: HorizontalPodAutoscaler): readonly MetricSpec[] {
  return hpa.spec.metrics?.length ? hpa.spec.metrics : DEFAULT_METRICS;
}

/** A resource amount in the unit a utilization is counted in: millicores for cpu, bytes otherwise. Pure. */
function amount(resource: string, quantity: string): number {
  const q = parseQuantity(quantity);
  return Number(resource === "cpu" ? milliValue(q) : unitValue(q));
}

/** An amount in thousandths of its unit, as Kubernetes' metrics count (cpu's amounts already are). Pure. */
function milli(resource: string, value: number): number {
  return resource === "cpu" ? value : value * 1000;
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
  return resource === "cpu" ? `${Math.trunc(value)}m` : String(Math.trunc(value));
}

/** One Resource or ContainerResource metric's proposal (Kubernetes' replica calculator). Pure. */
export function resourceProposal(metric: MetricSpec, facts: PodsAndUsage, current: number): Proposal {
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
  const targetValue = utilization ? (source.target.averageUtilization ?? 0) : milli(name, amount(name, source.target.averageValue ?? "0"));
  if (!(targetValue > 0)) return { error: `invalid ${name} target: it must be positive`, reason };
  // Integer arithmetic as Kubernetes': whole percents of the requests, or thousandths of the unit a pod.
  const per = (u: number, n: number, r: number) => (utilization ? (r === 0 ? 0 : Math.trunc((100 * u) / r)) : Math.trunc(milli(name, u) / Math.max(1, n)));
  const measured = per(usage, sampled.length, sampledRequests);
  const average = Math.trunc(milli(name, usage) / sampled.length) / milli(name, 1);
  const status: MetricStatus = {
    type: metric.type,
    [metric.resource ? "resource" : "containerResource"]: {
      name, ...(container === undefined ? {} : { container }),
      current: utilization ? { averageUtilization: measured, averageValue: shown(name, average) } : { averageValue: shown(name, average) },
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
  const assumed = up ? 0 : utilization ? (unsampledRequests * Math.max(100, targetValue)) / 100 : (targetValue / milli(name, 1)) * unsampled.length;
  const count = sampled.length + unsampled.length;
  const again = per(usage + assumed, count, sampledRequests + unsampledRequests) / targetValue;
  if (Math.abs(again - 1) <= TOLERANCE || (again > 1) !== up) return { replicas: current, status, words };
  const replicas = Math.ceil(again * count);
  return { replicas: (replicas > current) === up ? replicas : current, status, words };
}
