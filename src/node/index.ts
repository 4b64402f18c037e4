/** The node agent and its runtimes (sim, process): what the CLI and tests may import. */
export { startNodeAgents, agentNames, type NodeAgents, type NodeAgentsOptions } from "./run.js";
export { NodeAgent, type NodeAgentOptions } from "./agent.js";
export type { NodeLease } from "../api/nodeLease.js";
export { NODE_LEASE_BUCKET } from "../events/names.js";
export { logSubject } from "./containerLogs.js";
export { statsSubject, type ContainerStats } from "./containerStats.js";
export type { ContainerRuntime, ContainerRecord } from "./runtime.js";
