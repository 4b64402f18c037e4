/** The elected controllers (replication, scheduler, node lifecycle, namespace, quota, …): level-triggered, on work queues fed by the read model's changes (node IPAM: rounds), and their only effect is commands. */
export { CONTROLLERS_COMPONENT, startControllers } from "./run.js";
export type { Controllers, ControllersOptions } from "./run.js";
export { startTerm } from "./term.js";
export type { LoopTunables, RunningTerm, TermPorts } from "./term.js";
export type { ControllerContext } from "./context.js";
export { FencedSender, TermOverError } from "./fencedSender.js";
export { DEFAULT_NODE_LIFECYCLE, NODE_LEASE_BUCKET } from "./nodeLifecycle/index.js";
export type { HeartbeatSource, NodeLifecycleOptions } from "./nodeLifecycle/index.js";
export type { ReplicationOptions } from "./replication/index.js";
export type { SchedulerOptions, SchedulerPlugins } from "./scheduler/index.js";
