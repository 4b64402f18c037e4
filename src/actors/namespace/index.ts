/** Namespace actor: cluster-scoped; CreateNamespace and DeleteNamespace. */
import { namespaceLifecycle } from "./machine.js";
import { namespaceCodec } from "../../api/namespace.js";
import type { ActorKind } from "../registry.js";
import { namespaceDecider } from "./decider.js";
export { namespaceDecider, type NamespaceState, type NamespaceCommand, type NamespaceEvent } from "./decider.js";
export { createNamespaceMachine, namespaceLifecycle } from "./machine.js";

/** The Namespace's registration: the read model indexes its phase. */
export const namespaceKind = {
  decider: namespaceDecider, codec: namespaceCodec, lifecycle: namespaceLifecycle, indexedFields: { "status.phase": "every" },
} satisfies ActorKind;
