/** The Namespace actor's machine: the generic entity machine; namespaces have no timers of their own yet. */
import { createEntityMachine } from "../entityMachine.js";
import { namespaceDecider, type NamespaceState } from "./decider.js";

/** Builds the namespace machine (a `now` clock may be given by tests). */
export function createNamespaceMachine(now?: () => number) {
  return createEntityMachine<NamespaceState>(namespaceDecider, now);
}
