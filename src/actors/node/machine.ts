/** The Node actor's machine: the generic entity machine; heartbeats live in COX_NODE_LEASES, so nodes have no timers. */
import { createEntityMachine } from "../entityMachine.js";
import { nodeDecider, type NodeState } from "./decider.js";

/** Builds the node machine (a `now` clock may be given by tests). */
export function createNodeMachine(now?: () => number) {
  return createEntityMachine<NodeState>(nodeDecider, now);
}
