/**
 * The resource metrics API (metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics), as `kubectl top` reads it: served
 * from the node agents' latest samples (src/projections/resourceMetrics.ts), readable by whoever may read the pods or
 * nodes themselves. Its discovery is announced beside the registry's groups.
 */
import type { ResourceMetrics } from "../projections/resourceMetrics.js";
import { StatusError } from "../api/status.js";
import { matchesLabels } from "../api/labelSelector.js";
import { CLUSTER_NS } from "../api/kinds.js";
import { parseLabelSelector } from "../projections/selectors.js";
import type { Caller } from "./caller.js";

/** The group version of the metrics API. */
export const METRICS_GROUP_VERSION = "metrics.k8s.io/v1beta1";
const PREFIX = `/apis/${METRICS_GROUP_VERSION}`;

/** Where the figures come from: the latest samples, optionally of one namespace's pods. */
export type MetricsSource = (namespace?: string) => Promise<ResourceMetrics>;

/** The group's entry in `/apis`. Pure. */
export function metricsGroup(): Record<string, unknown> {
  const version = { groupVersion: METRICS_GROUP_VERSION, version: "v1beta1" };
  return { name: "metrics.k8s.io", versions: [version], preferredVersion: version };
}

/** The group version's APIResourceList. Pure. */
export function metricsResourceList(): Record<string, unknown> {
  const entry = (name: string, kind: string, namespaced: boolean) => ({ name, singularName: "", namespaced, kind, verbs: ["get", "list"] });
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: METRICS_GROUP_VERSION, resources: [entry("pods", "PodMetrics", true), entry("nodes", "NodeMetrics", false)] };
}

/** True for a path of the metrics API. Pure. */
export function isMetricsPath(path: string): boolean {
  return path === PREFIX || path.startsWith(`${PREFIX}/`);
}

/** The labels of a pod or node as the read model has them (a node's namespace is `_`; undefined: no such object). */
export type ObjectLabels = (resource: "pods" | "nodes", namespace: string, name: string) => Record<string, string> | undefined;

/**
 * Answers a GET of the metrics API (null: the path names nothing there). A list takes a `labelSelector`
 * (`kubectl top pod -l app=web`, `kubectl top node -l zone=a`), matched against the pods' or nodes' labels as the
 * read model has them, as metrics-server does.
 */
export async function metricsRead(path: string, caller: Caller, source: MetricsSource, query = new URLSearchParams(), labelsOf?: ObjectLabels): Promise<Record<string, unknown> | null> {
  if (path === PREFIX) return metricsResourceList();
  const parts = path.slice(PREFIX.length + 1).split("/").map(decodeURIComponent);
  const ns = parts[0] === "namespaces" ? parts[1] : undefined;
  const [resource, name, ...extra] = ns !== undefined ? parts.slice(2) : parts;
  if ((resource !== "pods" && resource !== "nodes") || extra.length > 0 || (resource === "nodes" && ns !== undefined)) return null;
  caller.authorize({ verb: name ? "get" : "list", resource, ...(ns ? { namespace: ns } : {}), ...(name ? { name } : {}) });
  const metrics = await source(ns);
  const list = resource === "pods" ? metrics.pods : metrics.nodes;
  const selector = query.get("labelSelector");
  if (!name && selector && labelsOf) {
    const reqs = parseLabelSelector(selector);
    const items = (list.items as { metadata: { name: string; namespace?: string } }[])
      .filter((m) => matchesLabels(reqs, labelsOf(resource, m.metadata.namespace ?? CLUSTER_NS, m.metadata.name) ?? {}));
    return { ...list, items } as unknown as Record<string, unknown>;
  }
  if (!name) return list as unknown as Record<string, unknown>;
  const item = (list.items as { metadata: { name: string } }[]).find((i) => i.metadata.name === name);
  if (!item) throw new StatusError("NotFound", `${resource}.metrics.k8s.io "${name}" not found`, { kind: resource, name });
  return item as Record<string, unknown>;
}
