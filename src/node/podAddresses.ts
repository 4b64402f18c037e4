/**
 * The pod addresses of one node: each pod gets its own IP from the node's podCIDR (true IP-per-pod on loopback:
 * two pods on one node may both listen on :8080), kept while the pod is there and given back when it ends; a pod in
 * the node's network (`hostNetwork`), or any pod while the node has no podCIDR yet, uses the node's address. The
 * taken addresses are read off the view each time, so a restarted agent hands out none twice.
 */
import type { Node } from "../api/node.js";
import type { Pod } from "../api/pod.js";
import { AddressAllocator } from "../network/allocator.js";
import { cidrContains, parseCidr } from "../network/cidr.js";
import type { ClusterView } from "../projections/clusterView.js";

/** The `podIP` function of the agent of node `nodeName` (undefined: use the node's address). */
export function podAddresses(view: ClusterView, nodeName: string): (pod: Pod) => string | undefined {
  const given = new Map<string, string>();
  return (pod) => {
    if (pod.spec.hostNetwork) return undefined;
    const cidr = view.get<Node>("nodes", "_", nodeName)?.object.spec.podCIDR;
    if (!cidr) return undefined;
    const block = parseCidr(cidr);
    if (pod.status.podIP && cidrContains(block, pod.status.podIP)) return pod.status.podIP;
    const mine = given.get(pod.metadata.uid);
    if (mine) return mine;
    // An ended pod's address is free again, as Kubernetes releases it.
    const here = view.podsOnNode<Pod>(nodeName).map((e) => e.object).filter((p) => p.status.phase !== "Succeeded" && p.status.phase !== "Failed");
    const live = new Set(here.map((p) => p.metadata.uid));
    for (const uid of given.keys()) if (!live.has(uid)) given.delete(uid);
    const taken = [...here.flatMap((p) => (p.status.podIP ? [p.status.podIP] : [])), ...given.values()];
    const ip = new AddressAllocator(block, taken).allocate();
    if (ip) given.set(pod.metadata.uid, ip);
    return ip;
  };
}
