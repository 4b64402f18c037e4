/**
 * The read side of resource usage: the latest sample of every container and node agent, kept by the stream
 * COX_STATS (one message per subject, see src/node/containerStats.ts), folded into the metrics.k8s.io/v1beta1
 * objects that `kubectl top` reads. `coxctl top` calls `resourceMetrics`; the HTTP gateway serves the same
 * (`/apis/metrics.k8s.io/v1beta1/[namespaces/{ns}/]pods[/{name}]` and `/nodes[/{name}]`).
 * A node's figure is the sum of its containers' plus its agent's own.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import {
  AGENT_SAMPLE_NAMESPACE, METRICS_API_VERSION, ResourceSample, usageOf,
  type MetricsList, type NodeMetrics, type PodMetrics,
} from "../api/resourceMetrics.js";
import { STATS_STREAM } from "../events/names.js";
import { isStreamNotFound } from "../events/streamErrors.js";
import { Streams } from "../events/streams.js";

/** The stream that keeps the latest sample per subject. */
export { STATS_STREAM };
const utf8 = new TextDecoder();
/** The sampling period assumed for a sample that does not say its window. */
const DEFAULT_WINDOW_MS = 5000;

/** Pod and node metrics at one moment. */
export interface ResourceMetrics {
  pods: MetricsList<PodMetrics>;
  nodes: MetricsList<NodeMetrics>;
}

/** What to keep. */
export interface MetricsQuery {
  /** Only pods of this namespace (default: all). */
  namespace?: string;
  /** The moment the figures are for (default: now); samples older than three windows are dropped. */
  nowMs?: number;
}

/**
 * Pod and node metrics from the latest samples in COX_STATS (empty when nothing has been sampled). The gateway
 * calls this for every metrics.k8s.io read and filters by name. Does I/O.
 */
export async function resourceMetrics(nc: NatsConnection, prefix: string, query: MetricsQuery = {}): Promise<ResourceMetrics> {
  const samples = await latestSamples(nc, prefix);
  const nowMs = query.nowMs ?? Date.now();
  return { pods: metricsList("PodMetricsList", podMetricsOf(samples, nowMs, query.namespace)), nodes: metricsList("NodeMetricsList", nodeMetricsOf(samples, nowMs)) };
}

/**
 * The latest sample of each subject under `<prefix>.stats.>`: the stream lists its subjects, and each subject's
 * last message is fetched by subject (no consumer, so a sample replaced meanwhile cannot stall the read). Does I/O.
 */
export async function latestSamples(nc: NatsConnection, prefix: string, stream = STATS_STREAM, filter = `${prefix}.stats.>`): Promise<ResourceSample[]> {
  const streams = await Streams.open(nc);
  let subjects: string[];
  try {
    subjects = Object.keys((await streams.info(stream, { subjects: filter })).subjects);
  } catch (err) {
    if (isStreamNotFound(err)) return [];
    throw err;
  }
  const messages = await Promise.all(subjects.map((subject) => streams.lastMessage(stream, subject).catch(() => null)));
  return messages.flatMap((m) => {
    const parsed = m ? ResourceSample.safeParse(JSON.parse(utf8.decode(m.data))) : undefined;
    return parsed?.success ? [parsed.data] : [];
  });
}

/**
 * The PodMetrics of one namespace's pods, reading only that namespace's samples (`<prefix>.stats.<ns>.>`): what the
 * horizontal pod autoscaler reads at each sync. Does I/O.
 */
export async function namespacePodMetrics(nc: NatsConnection, prefix: string, namespace: string, nowMs = Date.now()): Promise<PodMetrics[]> {
  return podMetricsOf(await latestSamples(nc, prefix, STATS_STREAM, `${prefix}.stats.${namespace}.>`), nowMs, namespace);
}

/** True when `s` is recent enough to count at `nowMs` (within three of its windows) and has a CPU rate. Pure. */
export function isCurrent(s: ResourceSample, nowMs: number): boolean {
  return s.cpuPercent !== undefined && nowMs - Date.parse(s.time) <= 3 * (s.windowMs ?? DEFAULT_WINDOW_MS);
}

/** The PodMetrics of the current samples: one per pod, its containers by name, sorted by namespace and name. Pure. */
export function podMetricsOf(samples: readonly ResourceSample[], nowMs: number, namespace?: string): PodMetrics[] {
  const byPod = new Map<string, ResourceSample[]>();
  for (const s of samples) {
    if (s.namespace === AGENT_SAMPLE_NAMESPACE || (namespace !== undefined && s.namespace !== namespace) || !isCurrent(s, nowMs)) continue;
    const key = `${s.namespace}/${s.pod}`;
    byPod.set(key, [...(byPod.get(key) ?? []), s]);
  }
  return [...byPod.values()].map((containers) => {
    const first = containers[0] as ResourceSample;
    const latest = containers.reduce((a, b) => (a.time > b.time ? a : b));
    return {
      kind: "PodMetrics" as const, apiVersion: METRICS_API_VERSION,
      metadata: { name: first.pod, namespace: first.namespace, creationTimestamp: new Date(nowMs).toISOString() },
      timestamp: latest.time, window: windowOf(latest),
      containers: containers.sort((a, b) => a.container.localeCompare(b.container)).map((c) => ({ name: c.container, usage: usageOf((c.cpuPercent ?? 0) / 100, c.memoryBytes) })),
    };
  }).sort((a, b) => a.metadata.namespace.localeCompare(b.metadata.namespace) || a.metadata.name.localeCompare(b.metadata.name));
}

/** The NodeMetrics of the current samples: per node, the sum of its containers' and its agent's own. Pure. */
export function nodeMetricsOf(samples: readonly ResourceSample[], nowMs: number): NodeMetrics[] {
  const byNode = new Map<string, ResourceSample[]>();
  for (const s of samples) {
    if (s.node === undefined || !isCurrent(s, nowMs)) continue;
    byNode.set(s.node, [...(byNode.get(s.node) ?? []), s]);
  }
  return [...byNode.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => {
    const latest = list.reduce((a, b) => (a.time > b.time ? a : b));
    const cores = list.reduce((sum, s) => sum + (s.cpuPercent ?? 0) / 100, 0);
    const bytes = list.reduce((sum, s) => sum + s.memoryBytes, 0);
    return {
      kind: "NodeMetrics" as const, apiVersion: METRICS_API_VERSION, metadata: { name, creationTimestamp: new Date(nowMs).toISOString() },
      timestamp: latest.time, window: windowOf(latest), usage: usageOf(cores, bytes),
    };
  });
}

/** A metrics list of `items`. Pure. */
export function metricsList<T extends PodMetrics | NodeMetrics>(kind: MetricsList<T>["kind"], items: T[]): MetricsList<T> {
  return { kind, apiVersion: METRICS_API_VERSION, metadata: {}, items };
}

/** A sample's window as a Go duration (`5s`, `1.5s`). Pure. */
function windowOf(s: ResourceSample): string {
  return `${(s.windowMs ?? DEFAULT_WINDOW_MS) / 1000}s`;
}
