/**
 * A snapshot built whole from lists of objects: what the scheduler's cache (cache.ts) keeps up to date change by
 * change, worked out the plain way. Tests compare the two; the decisions' own specs use it. Pure.
 */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import { isActive } from "../pods.js";
import { isPeer, peerGroupOf } from "./peers.js";
import type { ControllerSelector, NodeInfo, Snapshot, SpreadCounts } from "./plugins.js";
import { NON_ZERO_DEFAULTS, NO_AMOUNTS, addAmounts, hostPorts, nodeFacts, podRequests } from "./resources.js";

/** A node and the pods on it, with their requests and host ports added up. Pure. */
export function nodeInfo(node: Node, pods: readonly Pod[], slot = 0): NodeInfo {
  const byKey = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const requested = pods.reduce((sum, p) => addAmounts(sum, podRequests(p)), NO_AMOUNTS);
  const nonZero = pods.reduce((sum, p) => addAmounts(sum, podRequests(p, NON_ZERO_DEFAULTS)), NO_AMOUNTS);
  return {
    name: node.metadata.name,
    slot,
    node,
    ...nodeFacts(node),
    podCount: byKey.size,
    pods: byKey,
    requestedMilliCpu: requested.milliCpu,
    requestedMemory: requested.memory,
    nonZeroMilliCpu: nonZero.milliCpu,
    nonZeroMemory: nonZero.memory,
    usedPorts: new Set(pods.flatMap(hostPorts)),
  };
}

/**
 * The snapshot of `nodes` (sorted by name) with the active pods bound to each (pods bound to a node that is not in
 * the list are ignored), spreading by the selectors of `controllers`. Pure.
 */
export function buildSnapshot(nodes: readonly Node[], pods: readonly Pod[], controllers: readonly ControllerSelector[]): Snapshot {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const nodeName = pod.spec.nodeName;
    if (nodeName === undefined || !isActive(pod)) continue;
    const list = byNode.get(nodeName) ?? [];
    list.push(pod);
    byNode.set(nodeName, list);
  }
  const sorted = [...nodes].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const infos = sorted.map((n, slot) => nodeInfo(n, byNode.get(n.metadata.name) ?? [], slot));
  return { nodes: infos, spread: new ScannedSpread(infos, [...controllers]) };
}

/** Peer counts found by testing every pod of every node, once per peer group (the snapshot does not change). */
class ScannedSpread implements SpreadCounts {
  private readonly counts = new Map<string, { perSlot: number[]; max: number }>();

  constructor(private readonly nodes: readonly NodeInfo[], private readonly controllers: readonly ControllerSelector[]) {}

  maxPeers(pod: Pod): number {
    return this.countsOf(pod).max;
  }

  peersOn(pod: Pod): (node: NodeInfo) => number {
    const { perSlot } = this.countsOf(pod);
    return (node) => perSlot[node.slot] ?? 0;
  }

  private countsOf(pod: Pod): { perSlot: number[]; max: number } {
    const group = peerGroupOf(pod, this.controllers);
    let counts = this.counts.get(group.key);
    if (!counts) {
      const perSlot = this.nodes.map((n) => [...n.pods.values()].filter((p) => isPeer(group, p)).length);
      this.counts.set(group.key, (counts = { perSlot, max: Math.max(0, ...perSlot) }));
    }
    return counts;
  }
}
