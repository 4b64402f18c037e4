/**
 * The Node decider: pure decide/evolve for a node's registration (by its agent), its Ready condition (by the node
 * lifecycle controller), the images it holds (by its agent), its labels and annotations, cordoning and deletion (by a
 * user). Nodes are cluster-scoped.
 */
import { z } from "zod";
import { ContainerImage, type Node, type NodeCondition, type NodeManifest, type NodeStatus } from "../../api/node.js";
import { Annotations, Labels } from "../../api/labels.js";
import { ConditionStatus, dropUndefined } from "../../api/objectMeta.js";
import { Taints, type Taint } from "../../api/taints.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { conflict, DeleteOptions, NoData, newObjectMeta, requireExisting, sameValue, unknownCommand, objectStateView, unknownEvent } from "../decisions.js";

/** State: the node while it exists. */
export interface NodeState {
  object: Node | null;
}

/** The data of SetNodeCondition. */
export const SetNodeConditionData = z.strictObject({
  type: z.literal("Ready"),
  status: ConditionStatus,
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type SetNodeConditionData = z.infer<typeof SetNodeConditionData>;

/** The data of AssignPodCIDR: the block of pod addresses node IPAM gave the node. */
export const AssignPodCIDRData = z.strictObject({ podCIDR: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be a CIDR block such as 127.244.1.0/24") });
export type AssignPodCIDRData = z.infer<typeof AssignPodCIDRData>;

/** The data of ReportNodeImages: every image the node holds now (the list replaces the last one). */
export const ReportNodeImagesData = z.strictObject({ images: z.array(ContainerImage) });
export type ReportNodeImagesData = z.infer<typeof ReportNodeImagesData>;

/**
 * The data of SetNodeMetadata: the node's labels and annotations as a user wants them (`kubectl label|annotate node`),
 * each map replacing the last one whole; one left out stays as it is. Under `metadata`, as a manifest has them.
 */
export const SetNodeMetadataData = z.strictObject({ metadata: z.strictObject({ labels: Labels.optional(), annotations: Annotations.optional() }) });
export type SetNodeMetadataData = z.infer<typeof SetNodeMetadataData>;

/**
 * The data of SetNodeTaints: the node's taints as a user wants them (`kubectl taint nodes`), the list replacing the
 * last one whole. Under `spec`, as a manifest has them.
 */
export const SetNodeTaintsData = z.strictObject({ spec: z.strictObject({ taints: Taints }) });
export type SetNodeTaintsData = z.infer<typeof SetNodeTaintsData>;

/** Commands a node accepts. */
export type NodeCommand =
  | Command<"RegisterNode", NodeManifest>
  | Command<"SetNodeCondition", SetNodeConditionData>
  | Command<"AssignPodCIDR", AssignPodCIDRData>
  | Command<"ReportNodeImages", ReportNodeImagesData>
  | Command<"SetNodeMetadata", SetNodeMetadataData>
  | Command<"SetNodeTaints", SetNodeTaintsData>
  | Command<"CordonNode", NoData>
  | Command<"UncordonNode", NoData>
  | Command<"DeleteNode", DeleteOptions>;

/** What a later registration may change, each replaced whole. */
export interface NodeStatusChange {
  capacity?: NodeStatus["capacity"];
  allocatable?: NodeStatus["allocatable"];
  addresses?: NodeStatus["addresses"];
  nodeInfo?: NodeStatus["nodeInfo"];
  labels?: Record<string, string> | undefined;
}

/** Events a node records. */
export type NodeEvent =
  | RecordedEvent<"NodeRegistered", { object: Node }>
  | RecordedEvent<"NodeStatusUpdated", NodeStatusChange>
  | RecordedEvent<"NodeConditionChanged", NodeCondition>
  | RecordedEvent<"NodePodCIDRAssigned", AssignPodCIDRData>
  | RecordedEvent<"NodeImagesReported", ReportNodeImagesData>
  | RecordedEvent<"NodeMetadataSet", SetNodeMetadataData>
  | RecordedEvent<"NodeTaintsSet", { taints: Taint[] }>
  | RecordedEvent<"NodeCordoned", Record<string, never>>
  | RecordedEvent<"NodeUncordoned", Record<string, never>>
  | RecordedEvent<"NodeDeleted", Record<string, never>>;

const RESOURCE = "nodes";

/** The node decider. Pure. Commands that would change nothing record nothing. */
export const nodeDecider: Decider<NodeState, NodeCommand, NodeEvent> = {
  resource: RESOURCE,
  commands: {
    RegisterNode: { schema: z.unknown(), senders: ["node"], manifest: true },
    SetNodeCondition: { schema: SetNodeConditionData, senders: ["controller"] },
    AssignPodCIDR: { schema: AssignPodCIDRData, senders: ["controller"] },
    ReportNodeImages: { schema: ReportNodeImagesData, senders: ["node"] },
    SetNodeMetadata: { schema: SetNodeMetadataData, senders: ["user"] },
    SetNodeTaints: { schema: SetNodeTaintsData, senders: ["user"] },
    CordonNode: { schema: NoData, senders: ["user"] },
    UncordonNode: { schema: NoData, senders: ["user"] },
    DeleteNode: { schema: DeleteOptions, senders: ["user"] },
  },
  initialState: { object: null },

  decide(command, state) {
    if (command.type === "RegisterNode") return register(command, state.object);
    const node = requireExisting(state.object, RESOURCE, command.meta.name);
    switch (command.type) {
      case "SetNodeCondition": {
        const current = node.status.conditions?.find((c) => c.type === command.data.type);
        if (current?.status === command.data.status) return [];
        // The heartbeat that brought the change is the last one the condition records (`kubectl describe node`).
        return [{ type: "NodeConditionChanged", data: dropUndefined({ ...command.data, lastHeartbeatTime: command.meta.time, lastTransitionTime: command.meta.time }) }];
      }
      case "AssignPodCIDR":
        // Kubernetes' podCIDR is set once: the same block again records nothing, another one is refused.
        if (node.spec.podCIDR === command.data.podCIDR) return [];
        if (node.spec.podCIDR !== undefined) throw conflict(RESOURCE, command.meta.name, `already has the pod CIDR ${node.spec.podCIDR}`);
        return [{ type: "NodePodCIDRAssigned", data: command.data }];
      case "ReportNodeImages":
        return sameValue(command.data.images, node.status.images ?? []) ? [] : [{ type: "NodeImagesReported", data: command.data }];
      case "SetNodeMetadata": {
        const { labels, annotations } = command.data.metadata;
        const same = (wanted: Record<string, string> | undefined, now: Record<string, string> | undefined) => wanted === undefined || sameValue(wanted, now ?? {});
        return same(labels, node.metadata.labels) && same(annotations, node.metadata.annotations) ? [] : [{ type: "NodeMetadataSet", data: command.data }];
      }
      case "SetNodeTaints": {
        const taints = stampedTaints(command.data.spec.taints, node.spec.taints ?? [], command.meta.time);
        return sameValue(taints, node.spec.taints ?? []) ? [] : [{ type: "NodeTaintsSet", data: { taints } }];
      }
      case "CordonNode":
        return node.spec.unschedulable ? [] : [{ type: "NodeCordoned", data: {} }];
      case "UncordonNode":
        return node.spec.unschedulable ? [{ type: "NodeUncordoned", data: {} }] : [];
      case "DeleteNode":
        return [{ type: "NodeDeleted", data: {} }];
      default:
        throw unknownCommand(command);
    }
  },

  evolve(state, event) {
    if (event.type === "NodeRegistered") return { object: event.data.object };
    const node = state.object;
    if (!node) return state;
    switch (event.type) {
      case "NodeStatusUpdated": {
        // Each field is replaced whole: one the agent no longer reports goes away (the labels merged at registration).
        const { labels, capacity, allocatable, addresses, nodeInfo } = event.data;
        const metadata = dropUndefined({ ...node.metadata, labels });
        return { object: { ...node, metadata, status: dropUndefined({ ...node.status, capacity, allocatable, addresses, nodeInfo }) } };
      }
      case "NodeConditionChanged": {
        const others = (node.status.conditions ?? []).filter((c) => c.type !== event.data.type);
        return { object: { ...node, status: { ...node.status, conditions: [...others, event.data] } } };
      }
      case "NodePodCIDRAssigned":
        return { object: { ...node, spec: { ...node.spec, podCIDR: event.data.podCIDR } } };
      case "NodeImagesReported":
        return { object: { ...node, status: { ...node.status, images: event.data.images } } };
      case "NodeMetadataSet": {
        const { labels, annotations } = event.data.metadata;
        const metadata = { ...node.metadata, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
        return { object: { ...node, metadata } };
      }
      case "NodeTaintsSet": {
        const { taints } = event.data;
        return { object: { ...node, spec: dropUndefined({ ...node.spec, taints: taints.length > 0 ? taints : undefined }) } };
      }
      case "NodeCordoned":
        return { object: { ...node, spec: { ...node.spec, unschedulable: true } } };
      case "NodeUncordoned":
        return { object: { ...node, spec: dropUndefined({ ...node.spec, unschedulable: undefined }) } };
      case "NodeDeleted":
        return { object: null };
      default:
        return unknownEvent(event, state);
    }
  },

  ...objectStateView(),
};

/**
 * A first registration creates the node with condition Ready Unknown (the lifecycle controller decides the rest);
 * a later one records what changed of capacity, allocatable, addresses and labels, or nothing. The agent's labels are
 * set over the node's, as the kubelet sets its own: a label a user gave the node stays.
 */
function register(command: Extract<NodeCommand, { type: "RegisterNode" }>, node: Node | null): ReturnType<typeof nodeDecider.decide> {
  const { metadata, spec, status } = command.data;
  if (!node) {
    const ready: NodeCondition = { type: "Ready", status: "Unknown", reason: "NodeRegistered", message: "waiting for the node lifecycle controller", lastHeartbeatTime: command.meta.time, lastTransitionTime: command.meta.time };
    const object: Node = { kind: "Node", metadata: newObjectMeta(metadata, command.meta, true), spec, status: { ...status, conditions: [ready] } };
    return [{ type: "NodeRegistered", data: { object } }];
  }
  const change: NodeStatusChange = { capacity: status.capacity, allocatable: status.allocatable, addresses: status.addresses, nodeInfo: status.nodeInfo, labels: node.metadata.labels || metadata.labels ? { ...node.metadata.labels, ...metadata.labels } : undefined };
  const before: NodeStatusChange = { capacity: node.status.capacity, allocatable: node.status.allocatable, addresses: node.status.addresses, nodeInfo: node.status.nodeInfo, labels: node.metadata.labels };
  return sameValue(change, before) ? [] : [{ type: "NodeStatusUpdated", data: dropUndefined({ ...change }) }];
}

/**
 * The taints as stored: a NoExecute taint gets the time it was added (kept from the node's taint of the same key and
 * effect, else the command's time), from which its tolerations' seconds count; the others carry none. Pure.
 */
function stampedTaints(wanted: readonly Taint[], current: readonly Taint[], time: string): Taint[] {
  return wanted.map((t) => {
    if (t.effect !== "NoExecute") return dropUndefined({ ...t, timeAdded: undefined });
    const before = current.find((c) => c.key === t.key && c.effect === t.effect);
    return { ...t, timeAdded: t.timeAdded ?? before?.timeAdded ?? time };
  });
}
