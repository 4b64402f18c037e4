/** Namespace actor: cluster-scoped; CreateNamespace and DeleteNamespace. */
export { namespaceDecider, type NamespaceState, type NamespaceCommand, type NamespaceEvent } from "./decider.js";
export { createNamespaceMachine } from "./machine.js";
