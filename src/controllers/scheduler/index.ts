/** The scheduler: filter and score plugins, the decision with Kubernetes-style failure messages, its cache and its queue. */
export { SchedulerCache } from "./cache.js";
export type { CacheEffect } from "./cache.js";
export { DEFAULT_PLUGINS, failureMessage, firstFailure, schedule } from "./decide.js";
export type { Decision } from "./decide.js";
export { DEFAULT_FILTERS, nodePorts, nodeReady, nodeSelector, nodeUnschedulable, resourceFit } from "./filters.js";
export { PendingPods, isPending, pendingPods } from "./pending.js";
export { isPeer, peerGroupOf } from "./peers.js";
export type { PeerGroup } from "./peers.js";
export type { Amounts, ControllerSelector, FilterPlugin, NodeInfo, SchedulerPlugins, ScorePlugin, Snapshot, SpreadCounts } from "./plugins.js";
export { SchedulerReconciler, alreadyMarked } from "./reconciler.js";
export type { SchedulerOptions } from "./reconciler.js";
export { NON_ZERO_DEFAULTS, hostPorts, nodeAllocatable, podRequests } from "./resources.js";
export type { Allocatable } from "./resources.js";
export { DEFAULT_SCORES, leastAllocated, selectorSpread } from "./scores.js";
export { buildSnapshot, nodeInfo } from "./snapshot.js";
