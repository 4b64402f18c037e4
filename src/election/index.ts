/** Master election on a JetStream KV lease with a fencing term: the pure decision, the elector, term fencing and status. */
export { DEFAULT_LEASE_OPTIONS, LeaseRecord, decideLease, leaseOptions } from "./lease.js";
export type { Leading, LeaseDecision, LeaseDecisionInput, LeaseOptions, ObservedLease } from "./lease.js";
export { defaultIdentity, elect } from "./elector.js";

/** The lease component the controllers campaign for, and whose term fences controller commands. */
export const CONTROLLERS_COMPONENT = "controllers";
export type { Elector, ElectorOptions, LeadershipEvent } from "./elector.js";
export { TermWatcher } from "./fencing.js";
export type { TermWatcherOptions } from "./fencing.js";
export { listLeases } from "./leaseStatus.js";
export type { LeaseStatus } from "./leaseStatus.js";
export { DEFAULT_LEASE_BUCKET, openLeaseBucket } from "./leaseStore.js";
export type { LeaseBucketOptions, LeaseSource } from "./leaseStore.js";
