/**
 * The names a ResourceQuota may limit, as Kubernetes' quota names them: what pods use (`pods`, `count/pods`,
 * `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory`, and `cpu`, `memory` as aliases of the requests)
 * and object counts (`count/<resource>` for the core group, `count/<resource>.<group>` otherwise, and the classic
 * `services`, `configmaps`, `secrets`, `replicationcontrollers`, `resourcequotas`, `persistentvolumeclaims`,
 * `services.nodeports`, `services.loadbalancers`). Pure.
 */
import { RESOURCE_INFO, RESOURCES, type Resource } from "./kinds.js";

/** What one pod uses of a quota, in the order of the alphabet (as Kubernetes prints them). */
export const POD_QUOTA_RESOURCES = ["count/pods", "cpu", "limits.cpu", "limits.memory", "memory", "pods", "requests.cpu", "requests.memory"] as const;
export type PodQuotaResource = (typeof POD_QUOTA_RESOURCES)[number];

/** The classic names of object counts, each the core resource it counts. */
const CLASSIC_COUNTS: Record<string, string> = {
  services: "services", configmaps: "configmaps", secrets: "secrets", replicationcontrollers: "replicationcontrollers",
  resourcequotas: "resourcequotas", persistentvolumeclaims: "persistentvolumeclaims",
};

/** Names Kubernetes takes that are not counted here (no storage, ephemeral storage, huge pages or extended resources). */
const NOT_COUNTED = /^(requests\.|limits\.)?(storage|ephemeral-storage|hugepages-.+)$|\.storageclass\.storage\.k8s\.io\/|^(requests|limits)\.[^/]+\/.+/;

/** Whether `name` is what pods use. Pure. */
export function isPodQuotaResource(name: string): name is PodQuotaResource {
  return (POD_QUOTA_RESOURCES as readonly string[]).includes(name);
}

/**
 * The resource of this control plane an object count counts (`count/deployments.apps` → deployments), or null
 * when it names one that is not served here (it counts 0, as Kubernetes counts a resource nobody serves), or
 * undefined when `name` is not an object count. Pods are counted as what pods use, not here. Pure.
 */
export function countedResource(name: string): Resource | null | undefined {
  const plain = CLASSIC_COUNTS[name] ?? (name.startsWith("count/") ? name.slice("count/".length) : undefined);
  if (plain === undefined || plain === "" || plain === "pods") return undefined;
  const dot = plain.indexOf(".");
  const [resource, group] = dot < 0 ? [plain, ""] : [plain.slice(0, dot), plain.slice(dot + 1)];
  const found = RESOURCES.find((r) => r === resource && RESOURCE_INFO[r].group === group);
  return found ?? null;
}

/** Whether `name` counts something of a Service (`services.nodeports`, `services.loadbalancers`). Pure. */
export function isServiceUsage(name: string): name is "services.nodeports" | "services.loadbalancers" {
  return name === "services.nodeports" || name === "services.loadbalancers";
}

/** Why `name` may not be a quota's key, in Kubernetes' words where it has them, or undefined when it may. Pure. */
export function quotaNameProblem(name: string): string | undefined {
  if (isPodQuotaResource(name) || isServiceUsage(name) || countedResource(name) !== undefined) return undefined;
  if (/^count\/./.test(name)) return undefined;
  if (NOT_COUNTED.test(name)) return `Invalid value: ${JSON.stringify(name)}: not supported by this control plane (it counts pods' cpu and memory and objects)`;
  return `Invalid value: ${JSON.stringify(name)}: must be a standard resource for quota`;
}

/** Whether a quota limiting `name` must look again when an object of `resource` changes. Pure. */
export function quotaWatches(name: string, resource: string): boolean {
  if (resource === "pods") return isPodQuotaResource(name);
  if (isServiceUsage(name)) return resource === "services";
  return countedResource(name) === resource;
}
