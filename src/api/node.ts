/**
 * Node (cluster-scoped): the internal object, its v1 manifest and v1beta1 (2014 `Minion`) manifest, and the
 * conversion between them. The node agent registers its node, so a manifest MAY carry `status.capacity`,
 * `status.allocatable` and `status.addresses`, but never conditions (those come from heartbeats).
 * v1beta1 cannot carry `status.allocatable` (a scheduler then falls back to capacity) nor `metadata.generation`.
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec } from "./codec.js";
import { checkTarget, parseWith } from "./manifest.js";
import { Taints } from "./taints.js";
import { ClientObjectMeta, checkTargetV1beta1, LabelNamedClientMeta, ConditionStatus, ObjectMeta, Timestamp, V1beta1ClientMetaFields, V1beta1StoredMetaFields, clientMetaFromV1beta1, dropUndefined, metaFromV1beta1, metaToV1beta1 } from "./objectMeta.js";
import { ResourceQuantity } from "./quantity.js";

/** What a node offers: CPU cores, memory bytes, and how many pods it takes (canonical quantity strings). */
export const NodeResources = z.strictObject({ cpu: ResourceQuantity.optional(), memory: ResourceQuantity.optional(), pods: ResourceQuantity.optional() });
export type NodeResources = z.infer<typeof NodeResources>;

/** One address of a node. */
export const NodeAddress = z.strictObject({ type: z.enum(["InternalIP", "Hostname", "ExternalIP"]), address: z.string().min(1) });
export type NodeAddress = z.infer<typeof NodeAddress>;

/** A node condition, maintained by heartbeats and the node lifecycle controller. */
export const NodeCondition = z.strictObject({
  type: z.enum(["Ready"]),
  status: ConditionStatus,
  reason: z.string().optional(),
  message: z.string().optional(),
  lastHeartbeatTime: Timestamp.optional(),
  lastTransitionTime: Timestamp.optional(),
});
export type NodeCondition = z.infer<typeof NodeCondition>;

/** What the node agent says about its machine. */
export const NodeSystemInfo = z.strictObject({
  machineID: z.string().optional(),
  kernelVersion: z.string().optional(),
  osImage: z.string().optional(),
  containerRuntimeVersion: z.string().optional(),
  kubeletVersion: z.string().optional(),
  operatingSystem: z.string().optional(),
  architecture: z.string().optional(),
});

/** The desired state of a node. */
export const NodeSpec = z.strictObject({ unschedulable: z.boolean().optional(), podCIDR: z.string().optional(), taints: Taints.optional() });
export type NodeSpec = z.infer<typeof NodeSpec>;

/** The part of a node's status that its agent reports when it registers. */
export const NodeRegistrationStatus = z.strictObject({
  capacity: NodeResources.optional(),
  allocatable: NodeResources.optional(),
  addresses: z.array(NodeAddress).optional(),
  nodeInfo: NodeSystemInfo.optional(),
});

/** An image a node holds (`status.images`): its names and size (0: the process runtime does not measure it). */
export const ContainerImage = z.strictObject({ names: z.array(z.string().min(1)).min(1), sizeBytes: z.number().int().nonnegative().optional() });
export type ContainerImage = z.infer<typeof ContainerImage>;

/** The observed state of a node. */
export const NodeStatus = NodeRegistrationStatus.extend({ conditions: z.array(NodeCondition).optional(), images: z.array(ContainerImage).optional() });
export type NodeStatus = z.infer<typeof NodeStatus>;

/** The status of a node's Ready condition (`True`, `False`, `Unknown`), or undefined while it has none. Pure. */
export function readyStatus(node: { status: { conditions?: readonly NodeCondition[] | undefined } }): NodeCondition["status"] | undefined {
  return node.status.conditions?.find((c) => c.type === "Ready")?.status;
}

/** The internal Node (the v1 shape). */
export const Node = z.strictObject({ kind: z.literal("Node"), metadata: ObjectMeta, spec: NodeSpec, status: NodeStatus });
export type Node = z.infer<typeof Node>;

/** What the node agent (or a client) may say when registering a node, in the internal form. */
export interface NodeManifest {
  metadata: ClientObjectMeta;
  spec: NodeSpec;
  status: z.infer<typeof NodeRegistrationStatus>;
}

/** A v1 Node manifest: `status.conditions` is refused as an unknown field. */
export const NodeV1Manifest = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("Node").optional(),
  metadata: LabelNamedClientMeta,
  spec: NodeSpec.optional(),
  status: NodeRegistrationStatus.optional(),
});

const V1BETA1_CONDITION = { True: "Full", False: "None", Unknown: "Unknown" } as const;
const CONDITION_FROM_V1BETA1 = { Full: "True", None: "False", Unknown: "Unknown" } as const;

/** A v1beta1 node condition: `kind` for type, `Full`/`None` for True/False, `lastProbeTime` for the heartbeat. */
const NodeConditionV1beta1 = z.strictObject({
  kind: z.enum(["Ready"]),
  status: z.enum(["Full", "None", "Unknown"]),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastProbeTime: Timestamp.optional(),
  lastTransitionTime: Timestamp.optional(),
});

const minionFields = {
  kind: z.enum(["Minion", "Node"]).optional(),
  hostIP: z.string().optional(),
  resources: z.strictObject({ capacity: NodeResources.optional() }).optional(),
  unschedulable: z.boolean().optional(),
  podCIDR: z.string().optional(),
};

/** A v1beta1 (2014) `Minion` manifest: `{ id, labels, hostIP, resources: { capacity }, unschedulable }`. */
export const NodeV1beta1Manifest = z.strictObject({
  apiVersion: z.literal("v1beta1").optional(),
  ...V1beta1ClientMetaFields,
  ...minionFields,
  status: z.strictObject({ addresses: z.array(NodeAddress).optional() }).optional(),
});

const NodeV1Object = Node.extend({ apiVersion: z.literal("v1") });
const NodeV1beta1Object = z.strictObject({
  apiVersion: z.literal("v1beta1"),
  ...V1beta1StoredMetaFields,
  ...minionFields,
  status: z.strictObject({
    addresses: z.array(NodeAddress).optional(),
    conditions: z.array(NodeConditionV1beta1).optional(),
    nodeInfo: NodeSystemInfo.optional(),
  }),
});

type MinionFields = z.infer<z.ZodObject<typeof minionFields>> & { status?: { addresses?: NodeAddress[] | undefined } | undefined };

/** Spec and registration status of a v1beta1 minion: without `status.addresses`, `hostIP` is its InternalIP. */
function fromMinion(m: MinionFields): { spec: NodeSpec; status: z.infer<typeof NodeRegistrationStatus> } {
  const addresses = m.status?.addresses ?? (m.hostIP === undefined ? undefined : [{ type: "InternalIP" as const, address: m.hostIP }]);
  return {
    spec: dropUndefined({ unschedulable: m.unschedulable, podCIDR: m.podCIDR }),
    status: dropUndefined({ capacity: m.resources?.capacity, addresses }),
  };
}

/** Conversion of Node objects. Pure. */
export const nodeCodec: KindCodec<Node, NodeManifest> & ExternalReader<Node> = {
  resource: "nodes",
  parseManifest(apiVersion, body, target) {
    if (apiVersion === "v1beta1") {
      const m = parseWith(NodeV1beta1Manifest, body, "Node", target.name);
      const manifest = { metadata: clientMetaFromV1beta1(m), ...fromMinion(m) };
      checkTargetV1beta1(manifest.metadata, target, "Node", true);
      return manifest;
    }
    const m = parseWith(NodeV1Manifest, body, "Node", target.name);
    checkTarget(m.metadata, target, "Node", true);
    return { metadata: m.metadata, spec: m.spec ?? {}, status: m.status ?? {} };
  },
  render(apiVersion, node) {
    if (apiVersion === "v1beta1") {
      const { capacity, addresses, conditions, nodeInfo } = node.status;
      const v1beta1Conditions = conditions?.map(({ type, status, lastHeartbeatTime, ...rest }) =>
        dropUndefined({ kind: type, status: V1BETA1_CONDITION[status], lastProbeTime: lastHeartbeatTime, ...rest }));
      return dropUndefined({
        kind: "Minion", apiVersion: "v1beta1", ...metaToV1beta1(node.metadata),
        hostIP: addresses?.find((a) => a.type === "InternalIP")?.address,
        resources: capacity && { capacity }, unschedulable: node.spec.unschedulable, podCIDR: node.spec.podCIDR,
        status: dropUndefined({ addresses, conditions: v1beta1Conditions, nodeInfo }),
      });
    }
    return { apiVersion: "v1", ...node };
  },
  fromExternal(apiVersion, object) {
    if (apiVersion === "v1beta1") {
      const o = parseExternal(NodeV1beta1Object, object, "Node");
      const { spec, status } = fromMinion(o);
      const conditions = o.status.conditions?.map(({ kind, status: s, lastProbeTime, ...rest }) =>
        dropUndefined({ type: kind, status: CONDITION_FROM_V1BETA1[s], lastHeartbeatTime: lastProbeTime, ...rest }));
      return { kind: "Node", metadata: metaFromV1beta1(o), spec, status: dropUndefined({ ...status, conditions, nodeInfo: o.status.nodeInfo }) };
    }
    const { apiVersion: _version, ...node } = parseExternal(NodeV1Object, object, "Node");
    return node;
  },
};
