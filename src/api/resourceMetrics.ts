/**
 * Resource usage: the samples node agents publish on `<prefix>.stats.<ns>.<pod>.<container>` (and a node
 * agent's own on `<prefix>.stats._.<node>.agent`), and the metrics.k8s.io/v1beta1 objects that `kubectl top`
 * reads (PodMetrics, NodeMetrics), in the shapes metrics-server serves.
 */
import { z } from "zod";

/** The API group and version of resource metrics. */
export const METRICS_API_VERSION = "metrics.k8s.io/v1beta1" as const;

/** The namespace token of a node agent's own sample (its `pod` is the node's name, its `container` "agent"). */
export const AGENT_SAMPLE_NAMESPACE = "_";

/** One sample of one container (or of a node agent itself), as published. */
export const ResourceSample = z.object({
  /** The node the container runs on (absent in samples of agents older than this field). */
  node: z.string().optional(),
  namespace: z.string(),
  pod: z.string(),
  container: z.string(),
  attempt: z.number().int(),
  pid: z.number().int(),
  /** When it was taken (ISO). */
  time: z.string(),
  /** CPU time used so far, in seconds. */
  cpuSeconds: z.number(),
  /** Share of one core since the previous sample (100 = one full core); absent on the first sample. */
  cpuPercent: z.number().optional(),
  /** How long the previous sample was before this one, in ms (the window of `cpuPercent`). */
  windowMs: z.number().optional(),
  memoryBytes: z.number(),
});
export type ResourceSample = z.infer<typeof ResourceSample>;

/** CPU and memory as quantities: nanocores (`1234567n`) and kibibytes (`2048Ki`), as metrics-server writes them. */
export interface ResourceUsage {
  cpu: string;
  memory: string;
}

/** metrics.k8s.io/v1beta1 PodMetrics. */
export interface PodMetrics {
  kind: "PodMetrics";
  apiVersion: typeof METRICS_API_VERSION;
  metadata: { name: string; namespace: string; creationTimestamp: string };
  timestamp: string;
  window: string;
  containers: { name: string; usage: ResourceUsage }[];
}

/** metrics.k8s.io/v1beta1 NodeMetrics. */
export interface NodeMetrics {
  kind: "NodeMetrics";
  apiVersion: typeof METRICS_API_VERSION;
  metadata: { name: string; creationTimestamp: string };
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

/** A list of metrics objects (`PodMetricsList`, `NodeMetricsList`). */
export interface MetricsList<T extends PodMetrics | NodeMetrics> {
  kind: `${T["kind"]}List`;
  apiVersion: typeof METRICS_API_VERSION;
  metadata: Record<string, never>;
  items: T[];
}

/** Usage as quantities from cores and bytes. Pure. */
export function usageOf(cores: number, bytes: number): ResourceUsage {
  return { cpu: `${Math.max(0, Math.round(cores * 1e9))}n`, memory: `${Math.max(0, Math.round(bytes / 1024))}Ki` };
}
