/** The namespace controller: deletes what is in a Terminating namespace, then finalizes it. */
export { NAMESPACED_CONTENT, deleteCommandId, finalizeCommandId, planNamespaceDeletion } from "./plan.js";
export type { ContentObject, ContentResource, NamespaceContent, PlannedCommand } from "./plan.js";
export { NamespaceReconciler } from "./reconciler.js";
