/**
 * The object counts of a quota, from the read model: for each count it limits, the objects of that resource in its
 * namespace (`count/configmaps`, `secrets`, `count/deployments.apps`, …; one this control plane does not serve counts
 * 0), the node ports its Services ask for (`services.nodeports`) and its LoadBalancer Services
 * (`services.loadbalancers`), as Kubernetes' quota evaluators count them. What pods use is counted by reservations,
 * not here. Pure.
 */
import type { Resource } from "../../api/kinds.js";
import { limitedNames, type QuotaResourceList } from "../../api/resourceQuota.js";
import { countedResource, isPodQuotaResource } from "../../api/resourceQuotaNames.js";
import type { ServiceSpec } from "../../api/service.js";

/** A Service's node ports as Kubernetes' quota counts them: each port of a NodePort one, of a LoadBalancer one too unless it allocates none (then those asked for). Pure. */
export function serviceNodePorts(spec: Pick<ServiceSpec, "type" | "ports" | "allocateLoadBalancerNodePorts">): number {
  const ports = spec.ports ?? [];
  if (spec.type === "NodePort") return ports.length;
  if (spec.type !== "LoadBalancer") return 0;
  return spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort !== undefined).length : ports.length;
}

/** The counts of the object counts `hard` limits, `list` giving the objects of a resource in the quota's namespace. Pure. */
export function objectCounts(hard: QuotaResourceList, list: (resource: Resource) => readonly unknown[]): QuotaResourceList {
  const counts: QuotaResourceList = {};
  const specs = () => list("services").map((s) => (s as { spec: ServiceSpec }).spec);
  for (const name of limitedNames(hard)) {
    if (isPodQuotaResource(name)) continue;
    if (name === "services.nodeports") counts[name] = String(specs().reduce((n, s) => n + serviceNodePorts(s), 0));
    else if (name === "services.loadbalancers") counts[name] = String(specs().filter((s) => s.type === "LoadBalancer").length);
    else {
      const resource = countedResource(name);
      counts[name] = String(resource ? list(resource).length : 0);
    }
  }
  return counts;
}
