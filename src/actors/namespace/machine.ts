/**
 * The Namespace's lifecycle: Active → Terminating (DeleteNamespace; the namespace controller empties it) →
 * Absent once finalized. Only an Active namespace takes new content (admission reads the phase from its index).
 */
import { createLifecycleMachine, type Lifecycle } from "../lifecycle.js";
import { namespaceDecider, type NamespaceCommand, type NamespaceEvent, type NamespaceState } from "./decider.js";

/** The namespace's lifecycle states. */
export type NamespaceLifecycleState = "Absent" | "Active" | "Terminating";

/** The namespace's lifecycle. */
export const namespaceLifecycle: Lifecycle<NamespaceState, NamespaceLifecycleState, NamespaceCommand["type"], NamespaceEvent["type"]> = {
  absent: "Absent",
  phaseOf: (state) => (!state.object ? "Absent" : state.object.status.phase === "Terminating" ? "Terminating" : "Active"),
  states: {
    Absent: { accepts: ["CreateNamespace"], on: { NamespaceCreated: ["Active"] } },
    Active: { accepts: ["UpdateNamespace", "DeleteNamespace"], on: { NamespaceTerminating: ["Terminating"] } },
    Terminating: { accepts: ["UpdateNamespace", "DeleteNamespace", "FinalizeNamespace"], on: { NamespaceDeleted: ["Absent"] } },
  },
};

/** Builds the namespace machine (a `now` clock may be given by tests). */
export function createNamespaceMachine(now?: () => number) {
  return createLifecycleMachine<NamespaceState>(namespaceDecider, namespaceLifecycle, now);
}
