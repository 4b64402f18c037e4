/** Namespace actor: cluster-scoped; CreateNamespace and DeleteNamespace. */
import { namespaceLifecycle } from "./machine.js";
import { namespaceCodec, SYSTEM_NAMESPACES } from "../../api/namespace.js";
import type { ActorKind } from "../registry.js";
import { bootstrapObject } from "../bootstrap.js";
import { namespaceDecider } from "./decider.js";
export { namespaceDecider, type NamespaceState, type NamespaceCommand, type NamespaceEvent } from "./decider.js";
export { createNamespaceMachine, namespaceLifecycle } from "./machine.js";

/** The Namespace's registration: the read model indexes its phase; the cluster's own namespaces exist from the start. */
export const namespaceKind = {
  decider: namespaceDecider, codec: namespaceCodec, lifecycle: namespaceLifecycle, indexedFields: { "status.phase": "every" },
  // `default`, `kube-system`, `kube-public` and `kube-node-lease`.
  bootstrap: SYSTEM_NAMESPACES.map((name) => bootstrapObject("namespaces", { metadata: { name } })),
} satisfies ActorKind;
