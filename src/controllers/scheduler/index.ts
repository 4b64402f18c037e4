/** The scheduler: filter and score plugins, the decision with Kubernetes-style failure messages, and its round. */
export { DEFAULT_PLUGINS, failureMessage, firstFailure, schedule } from "./decide.js";
export type { Decision } from "./decide.js";
export { DEFAULT_FILTERS, nodePorts, nodeReady, nodeSelector, nodeUnschedulable, resourceFit } from "./filters.js";
export type { Amounts, ControllerSelector, FilterPlugin, NodeInfo, SchedulerPlugins, ScorePlugin, Snapshot } from "./plugins.js";
export { SchedulerReconciler, alreadyMarked, pendingPods } from "./reconciler.js";
export type { SchedulerOptions } from "./reconciler.js";
export { NON_ZERO_DEFAULTS, hostPorts, nodeAllocatable, podRequests } from "./resources.js";
export type { Allocatable } from "./resources.js";
export { DEFAULT_SCORES, leastAllocated, peerTest, selectorSpread } from "./scores.js";
export { buildSnapshot, nodeInfo, withPod } from "./snapshot.js";
