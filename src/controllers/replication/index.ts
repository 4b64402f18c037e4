/** The replication manager: keeps spec.replicas active pods per replication controller, with durable command ids. */
export { activePodsOf, replicaDiff, replicationStatus, statusDiffers } from "./diff.js";
export { createPodCommandId, deletePodCommandId, freeOrdinals, podName, podSuffix } from "./names.js";
export type { RcIdentity } from "./names.js";
export { compareForDeletion, deletionVictims } from "./ranking.js";
export { ReplicationReconciler } from "./reconciler.js";
export type { ReplicationOptions } from "./reconciler.js";
export { batchSizes, slowStart } from "./slowStart.js";
export type { SlowStartResult } from "./slowStart.js";
export { CREATED_BY_ANNOTATION, podManifest, resolveTemplate } from "./template.js";
export type { TemplateLookup } from "./template.js";
