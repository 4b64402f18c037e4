/** Node actor: cluster-scoped; registration by the node agent, the Ready condition, cordoning and deletion. */
export { nodeDecider, SetNodeConditionData, type NodeState, type NodeCommand, type NodeEvent, type NodeStatusChange } from "./decider.js";
export { createNodeMachine } from "./machine.js";
