/**
 * The Node's lifecycle: Registered (its agent registered it; Ready is Unknown until the node lifecycle controller
 * decides) → Ready ⇄ NotReady → Absent (deleted). Heartbeats live in COX_NODE_LEASES, so nodes have no timers:
 * Limit (docs/architecture.md), the node timeouts are the node lifecycle controller's deadlines.
 */
import { readyStatus } from "../../api/node.js";
import { createLifecycleMachine, type Lifecycle } from "../lifecycle.js";
import { nodeDecider, type NodeCommand, type NodeEvent, type NodeState } from "./decider.js";

/** The node's lifecycle states. */
export type NodeLifecycleState = "Absent" | "Registered" | "Ready" | "NotReady";

/** Where a node's decider state stands. Pure. */
export function nodePhaseOf(state: NodeState): NodeLifecycleState {
  if (!state.object) return "Absent";
  const ready = readyStatus(state.object);
  return ready === "True" ? "Ready" : ready === "False" ? "NotReady" : "Registered";
}

const LIVE = ["RegisterNode", "SetNodeCondition", "AssignPodCIDR", "ReportNodeImages", "SetNodeMetadata", "SetNodeTaints", "CordonNode", "UncordonNode", "DeleteNode"] as const;
const CONDITION = ["Registered", "Ready", "NotReady"] as const;

/** The node's lifecycle. */
export const nodeLifecycle: Lifecycle<NodeState, NodeLifecycleState, NodeCommand["type"], NodeEvent["type"]> = {
  absent: "Absent",
  phaseOf: nodePhaseOf,
  states: {
    Absent: { accepts: ["RegisterNode"], on: { NodeRegistered: ["Registered"] } },
    Registered: { accepts: LIVE, on: { NodeConditionChanged: CONDITION, NodeDeleted: ["Absent"] } },
    Ready: { accepts: LIVE, on: { NodeConditionChanged: CONDITION, NodeDeleted: ["Absent"] } },
    NotReady: { accepts: LIVE, on: { NodeConditionChanged: CONDITION, NodeDeleted: ["Absent"] } },
  },
};

/** Builds the node machine (a `now` clock may be given by tests). */
export function createNodeMachine(now?: () => number) {
  return createLifecycleMachine<NodeState>(nodeDecider, nodeLifecycle, now);
}
