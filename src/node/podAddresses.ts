/**
 * The pod addresses of one node: each pod gets its own IP from the node's podCIDR (true IP-per-pod on loopback:
 * two pods on one node may both listen on :8080), kept while the pod is there; a pod in the node's network
 * (`hostNetwork`), or any pod while the node has no podCIDR yet, uses the node's address. A pod keeps the answer it
 * was first given: one started on the node's address before the block arrived stays there (its process bound what
 * it was told).
 * The addresses taken are read off the view when the block is first used (so a restarted agent hands out none
 * twice), and again only when the block is spent: that read gives back the addresses of pods that ended or left.
 * In between, addresses are handed out in turn, as the host-local IPAM of Kubernetes' network plugins does (an
 * address is not reused at once); before, every new pod listed and rendered all the node's pods.
 */
import type { Node } from "../api/node.js";
import type { Pod } from "../api/pod.js";
import { AddressAllocator } from "../network/allocator.js";
import { cidrContains, parseCidr } from "../network/cidr.js";
import type { ClusterView } from "../projections/clusterView.js";

const NODE_ADDRESS = "";

/** Answers kept before the node's pods are read to forget those of pods that ended or left (then twice as many). */
const FORGET_FLOOR = 256;

/** The `podIP` function of the agent of node `nodeName` (undefined: use the node's address). */
export function podAddresses(view: ClusterView, nodeName: string): (pod: Pod) => string | undefined {
  /** Each pod's answer so far; `NODE_ADDRESS` for a pod that was told to use the node's. */
  const given = new Map<string, string>();
  let block: { cidr: string; allocator: AddressAllocator } | null = null;
  let forgetAt = FORGET_FLOOR;

  /** The node's pods that have not ended; the answers of pods no longer among them are forgotten. */
  const liveHere = (): Pod[] => {
    const here = view.podsOnNode<Pod>(nodeName).map((e) => e.object).filter((p) => p.status.phase !== "Succeeded" && p.status.phase !== "Failed");
    const live = new Set(here.map((p) => p.metadata.uid));
    for (const uid of given.keys()) if (!live.has(uid)) given.delete(uid);
    forgetAt = Math.max(FORGET_FLOOR, 2 * given.size);
    return here;
  };
  /** An allocator of `cidr` over the addresses the node's live pods hold now (reported, or given and not yet reported). */
  const fresh = (cidr: string): AddressAllocator => {
    const reported = liveHere().flatMap((p) => (p.status.podIP ? [p.status.podIP] : []));
    const allocator = new AddressAllocator(parseCidr(cidr), [...reported, ...[...given.values()].filter((a) => a !== NODE_ADDRESS)]);
    block = { cidr, allocator };
    return allocator;
  };
  const allocate = (cidr: string): string | undefined => {
    const kept = block?.cidr === cidr && given.size <= forgetAt ? block.allocator : null;
    const ip = (kept ?? fresh(cidr)).allocate();
    // Spent: read the node again (ended pods give theirs back), unless the allocator was just read.
    return ip ?? (kept ? fresh(cidr).allocate() : undefined);
  };

  return (pod) => {
    if (pod.spec.hostNetwork) return undefined;
    const mine = given.get(pod.metadata.uid);
    if (mine !== undefined) return mine === NODE_ADDRESS ? undefined : mine;
    const cidr = view.get<Node>("nodes", "_", nodeName)?.object.spec.podCIDR;
    // A reported address is the pod's for good: its block's, or else the node's.
    if (pod.status.podIP) return cidr && cidrContains(parseCidr(cidr), pod.status.podIP) ? pod.status.podIP : undefined;
    if (!cidr) {
      if (given.size > forgetAt) liveHere();
      given.set(pod.metadata.uid, NODE_ADDRESS);
      return undefined;
    }
    const ip = allocate(cidr);
    if (ip) given.set(pod.metadata.uid, ip);
    return ip;
  };
}
