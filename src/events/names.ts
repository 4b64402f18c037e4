/**
 * The names of every JetStream stream and KV bucket Coxswain keeps, in one place. Subjects are per prefix
 * (`<prefix>.ev.…`); these names are shared by every prefix on one NATS account.
 */

/** The event log: every entity's events, one subject per entity. */
export const EVENT_STREAM = "COX_EVENTS";
/** Container log lines published by node agents. */
export const LOG_STREAM = "COX_LOGS";
/** Container resource samples (the latest per subject). */
export const STATS_STREAM = "COX_STATS";
/** Election leases of the control plane (controllers, scheduler). */
export const LEASE_BUCKET = "COX_LEASES";
/** Node heartbeats. */
export const NODE_LEASE_BUCKET = "COX_NODE_LEASES";
/** Projections' checkpoints. */
export const CHECKPOINT_BUCKET = "COX_CHECKPOINTS";
/** Actor snapshots. */
export const SNAPSHOT_BUCKET = "COX_SNAPSHOTS";
/** Actors' armed timers, re-armed on rehydration. */
export const TIMER_BUCKET = "COX_TIMERS";
/** Claims on unique values (cluster IPs) across actor hosts. */
export const CLAIM_BUCKET = "COX_CLAIMS";
/** The subject tree of watches over NATS: `<prefix>.watch.<ns>.<id>` (docs/protocol.md, Reads). */
export const WATCH_TREE = "watch";
/** The same for the watches of sealed kinds (Secrets), which the viewer's role may not follow. */
export const SEALED_WATCH_TREE = "sealedwatch";
