/** The scheduler's picture of the cluster for one round, built from the view's objects. Pure. */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import { isActive } from "../pods.js";
import type { ControllerSelector, NodeInfo, Snapshot } from "./plugins.js";
import { NO_AMOUNTS, addAmounts, hostPorts, podRequests } from "./resources.js";

/** A node and the pods on it, with their requests and host ports added up. Pure. */
export function nodeInfo(node: Node, pods: readonly Pod[]): NodeInfo {
  return {
    name: node.metadata.name,
    node,
    pods: [...pods],
    requested: pods.reduce((sum, p) => addAmounts(sum, podRequests(p)), NO_AMOUNTS),
    usedPorts: new Set(pods.flatMap(hostPorts)),
  };
}

/**
 * The snapshot of `nodes` (sorted by name, which `withPod` keeps) with the active pods bound to each (pods bound to a node that is not in the list are
 * ignored), and the controllers whose selectors define "the same controller" for spreading. Pure.
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
  return { nodes: sorted.map((n) => nodeInfo(n, byNode.get(n.metadata.name) ?? [])), controllers: [...controllers] };
}

/** The snapshot after `pod` is placed on `nodeName` (so the next decision of the round counts it). Pure. */
export function withPod(snapshot: Snapshot, pod: Pod, nodeName: string): Snapshot {
  const placed: Pod = { ...pod, spec: { ...pod.spec, nodeName } };
  return {
    ...snapshot,
    nodes: snapshot.nodes.map((info) => (info.name === nodeName ? nodeInfo(info.node, [...info.pods, placed]) : info)),
  };
}
