/**
 * The pod addresses of one node: each pod gets its own IP from the node's podCIDR (true IP-per-pod on loopback:
 * two pods on one node may both listen on :8080), kept while the pod is there and given back when it ends; a pod in
 * the node's network (`hostNetwork`), or any pod while the node has no podCIDR yet, uses the node's address. A pod
 * keeps the answer it was first given: one started on the node's address before the block arrived stays there (its
 * process bound what it was told). The taken addresses are read off the view each time, so a restarted agent hands
 * out none twice.
 */
import type { Node } from "../api/node.js";
import type { Pod } from "../api/pod.js";
import { AddressAllocator } from "../network/allocator.js";
import { cidrContains, parseCidr } from "../network/cidr.js";
import type { ClusterView } from "../projections/clusterView.js";

const NODE_ADDRESS = "";

/** The `podIP` function of the agent of node `nodeName` (undefined: use the node's address). */
export function podAddresses(view: ClusterView, nodeName: string): (pod: Pod) => string | undefined {
  /** Each pod's answer so far; `NODE_ADDRESS` for a pod that was told to use the node's. */
  const given = new Map<string, string>();
  return (pod) => {
    if (pod.spec.hostNetwork) return undefined;
    const mine = given.get(pod.metadata.uid);
    if (mine !== undefined) return mine === NODE_ADDRESS ? undefined : mine;
    const cidr = view.get<Node>("nodes", "_", nodeName)?.object.spec.podCIDR;
    // A reported address is the pod's for good: its block's, or else the node's.
    if (pod.status.podIP) return cidr && cidrContains(parseCidr(cidr), pod.status.podIP) ? pod.status.podIP : undefined;
    if (!cidr) {
      given.set(pod.metadata.uid, NODE_ADDRESS);
      return undefined;
    }
    const block = parseCidr(cidr);
    // An ended pod's address is free again, as Kubernetes releases it.
    const here = view.podsOnNode<Pod>(nodeName).map((e) => e.object).filter((p) => p.status.phase !== "Succeeded" && p.status.phase !== "Failed");
    const live = new Set(here.map((p) => p.metadata.uid));
    for (const uid of given.keys()) if (!live.has(uid)) given.delete(uid);
    const taken = [...here.flatMap((p) => (p.status.podIP ? [p.status.podIP] : [])), ...[...given.values()].filter((a) => a !== NODE_ADDRESS)];
    const ip = new AddressAllocator(block, taken).allocate();
    if (ip) given.set(pod.metadata.uid, ip);
    return ip;
  };
}
