/** The node lifecycle controller: Ready from heartbeats in COX_NODE_LEASES, eviction of the pods of lost nodes. */
export { KvHeartbeats } from "./heartbeats.js";
export { NodeLease } from "../../api/nodeLease.js";
export { NODE_LEASE_BUCKET } from "../../events/names.js";
export type { HeartbeatSource, KvHeartbeatOptions } from "./heartbeats.js";
export { DEFAULT_NODE_LIFECYCLE, evictionMessage, evictionsOf, isFresh, observe, readyChange } from "./monitor.js";
export type { NodeLifecycleOptions, NodeObservation, ReadyChange } from "./monitor.js";
export { NodeLifecycleReconciler } from "./reconciler.js";
