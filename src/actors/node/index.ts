/** Node actor: cluster-scoped; registration by the node agent, the Ready condition, cordoning and deletion. */
import { nodeLifecycle } from "./machine.js";
import { nodeCodec } from "../../api/node.js";
import type { ActorKind } from "../registry.js";
import { nodeDecider } from "./decider.js";
export { nodeDecider, SetNodeConditionData, type NodeState, type NodeCommand, type NodeEvent, type NodeStatusChange } from "./decider.js";
export { createNodeMachine, nodeLifecycle, nodePhaseOf } from "./machine.js";

/** The Node's registration: a node agent speaks for its own Node only. */
export const nodeKind = {
  decider: nodeDecider, codec: nodeCodec, lifecycle: nodeLifecycle,
  nodeScope: (node, ref) => (ref.name === node ? null : `node ${node} may not act for node ${ref.name}`),
} satisfies ActorKind;
