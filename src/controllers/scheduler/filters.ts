/**
 * The default filters, in Kubernetes' order: cordoned nodes, nodes that are not ready, taints the pod does not
 * tolerate, the pod's node selector and required node affinity, host ports, and resources. Each returns the reason as the failure message counts it. Pure.
 */
import { nodeMeetsTerms } from "../../api/podPlacement.js";
import { selectorMatches } from "../../api/replicationController.js";
import { taintWords, untoleratedTaint } from "../../api/taints.js";
import { filterPlugin, type Amounts, type FilterPlugin, type NodeInfo } from "./plugins.js";
import { hostPorts, hostPortsConflict, podRequests } from "./resources.js";

/** A cordoned node (spec.unschedulable) takes no new pods, but those that tolerate its `node.kubernetes.io/unschedulable` taint. */
export const nodeUnschedulable = filterPlugin("NodeUnschedulable", (pod) => {
  const tolerated = !untoleratedTaint([{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }], pod.spec.tolerations);
  return (info) => (info.unschedulable && !tolerated ? "node(s) were unschedulable" : null);
});

/** Only a node whose Ready condition is True takes pods (a new node is Unknown until its first heartbeat is seen). */
export const nodeReady = filterPlugin("NodeReady", () => (info) => (info.ready ? null : "node(s) were not ready"));

const FITS = () => null;

/** A node's NoSchedule and NoExecute taints keep off every pod that does not tolerate them. */
export const taintToleration = filterPlugin("TaintToleration", (pod) => (info) => {
  if (info.node.spec.taints === undefined) return null; // most nodes: nothing to look at
  const taint = untoleratedTaint(info.node.spec.taints, pod.spec.tolerations);
  return taint ? `node(s) had untolerated taint ${taintWords(taint)}` : null;
});

/**
 * Every `key=value` of the pod's nodeSelector must be among the node's labels, and the node must meet one of the
 * required terms of the pod's node affinity.
 */
export const nodeSelector = filterPlugin("NodeSelector", (pod) => {
  const selector = pod.spec.nodeSelector ?? {};
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (Object.keys(selector).length === 0 && !terms) return FITS;
  // One reason for both, in kube-scheduler's words since its NodeAffinity plugin took the nodeSelector over.
  return (info) => (selectorMatches(selector, info.node.metadata.labels) && (!terms || nodeMeetsTerms(terms, info.node.metadata.labels, info.node.metadata.name))
    ? null : "node(s) didn't match Pod's node affinity/selector");
});

/** A host port (per protocol and hostIP) can be taken by one pod per node only. */
export const nodePorts = filterPlugin("NodePorts", (pod) => {
  const wanted = hostPorts(pod);
  if (wanted.length === 0) return FITS;
  return (info) => (hostPortsConflict(wanted, info.usedPorts) ? "node(s) didn't have free ports for the requested pod ports" : null);
});

/**
 * The pod's requests must fit in what the node has left: allocatable minus the requests of its active pods. A node
 * advertises no extended resource (`nvidia.com/gpu`), so a pod that asks for one fits none; `ephemeral-storage` and
 * huge pages are not counted.
 */
export const resourceFit = filterPlugin("NodeResourcesFit", (pod) => {
  const asked = podRequests(pod);
  const extended = extendedResourceOf(pod);
  if (extended) return () => `Insufficient ${extended}`;
  return (info) => insufficientResource(asked, info);
});

/** The first extended resource a container of the pod asks for (a request or a limit above 0), if any. Pure. */
function extendedResourceOf(pod: Parameters<typeof podRequests>[0]): string | undefined {
  for (const c of pod.spec.containers) {
    for (const [name, value] of Object.entries({ ...c.resources?.limits, ...c.resources?.requests })) {
      if (name === "cpu" || name === "memory" || name === "ephemeral-storage" || name.startsWith("hugepages-")) continue;
      if (value !== undefined && value !== "0") return name;
    }
  }
  return undefined;
}

/** What the node lacks for `asked` (an allocatable that is not limited is Infinity: nothing exceeds it). */
function insufficientResource(asked: Amounts, info: NodeInfo): string | null {
  if (info.podCount + 1 > info.allocatablePods) return "Too many pods";
  if (asked.milliCpu > 0 && info.requestedMilliCpu + asked.milliCpu > info.allocatableMilliCpu) return "Insufficient cpu";
  if (asked.memory > 0 && info.requestedMemory + asked.memory > info.allocatableMemory) return "Insufficient memory";
  return null;
}

/** The default filters, in the order they run (the first that fails gives the node's reason). */
export const DEFAULT_FILTERS: readonly FilterPlugin[] = [nodeUnschedulable, nodeReady, taintToleration, nodeSelector, nodePorts, resourceFit];
