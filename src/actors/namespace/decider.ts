/**
 * The Namespace decider: pure decide/evolve. Deleting a namespace moves it to Terminating; the namespace
 * controller deletes what is in it and then finalizes it (FinalizeNamespace), which removes it.
 */
import { z } from "zod";
import { namespaceCodec, PROTECTED_NAMESPACES, withNameLabel, type Namespace, type NamespaceManifest } from "../../api/namespace.js";
import { dropUndefined } from "../../api/objectMeta.js";
import { StatusError } from "../../api/status.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { conflict, DeleteOptions, NoData, requireAbsent, requireExisting, unknownCommand, objectStateView, unknownEvent } from "../decisions.js";

/** State: the namespace object while it exists. */
export interface NamespaceState {
  object: Namespace | null;
}

/** Commands a namespace accepts. */
export type NamespaceCommand =
  | Command<"CreateNamespace", NamespaceManifest>
  | Command<"UpdateNamespace", NamespaceManifest>
  | Command<"DeleteNamespace", DeleteOptions>
  | Command<"FinalizeNamespace", z.infer<typeof NoData>>;

/** Events a namespace records. */
export type NamespaceEvent =
  | RecordedEvent<"NamespaceCreated", { object: Namespace }>
  | RecordedEvent<"NamespaceUpdated", { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined; spec: Namespace["spec"] }>
  | RecordedEvent<"NamespaceTerminating", { deletionTimestamp: string }>
  | RecordedEvent<"NamespaceDeleted", Record<string, never>>;

export { PROTECTED_NAMESPACES } from "../../api/namespace.js";

const RESOURCE = "namespaces";

/** The namespace decider. Pure. */
export const namespaceDecider: Decider<NamespaceState, NamespaceCommand, NamespaceEvent> = {
  resource: RESOURCE,
  commands: {
    CreateNamespace: { schema: z.unknown(), senders: ["user"], manifest: true },
    UpdateNamespace: { schema: z.unknown(), senders: ["user"], manifest: true },
    DeleteNamespace: { schema: DeleteOptions, senders: ["user"] },
    FinalizeNamespace: { schema: NoData, senders: ["controller"] },
  },
  initialState: { object: null },

  decide(command, state) {
    const name = command.meta.name;
    if (command.type === "CreateNamespace") {
      requireAbsent(state.object, RESOURCE, name);
      const { metadata, spec } = command.data;
      const object: Namespace = {
        kind: "Namespace", metadata: { ...metadata, labels: withNameLabel(metadata.labels, name), uid: command.meta.uid, creationTimestamp: command.meta.time },
        spec, status: { phase: "Active" },
      };
      return [{ type: "NamespaceCreated", data: { object } }];
    }
    const ns = requireExisting(state.object, RESOURCE, name);
    switch (command.type) {
      case "UpdateNamespace": {
        const { labels, annotations } = command.data.metadata;
        return [{ type: "NamespaceUpdated", data: { labels: withNameLabel(labels, name), annotations, spec: command.data.spec } }];
      }
      case "DeleteNamespace":
        if (PROTECTED_NAMESPACES.includes(name)) throw new StatusError("Forbidden", `namespaces "${name}" is forbidden: this namespace may not be deleted`, { kind: RESOURCE, name });
        return ns.status.phase === "Terminating" ? [] : [{ type: "NamespaceTerminating", data: { deletionTimestamp: command.meta.time } }];
      case "FinalizeNamespace":
        if (ns.status.phase !== "Terminating") throw conflict(RESOURCE, name, "is not being deleted");
        return [{ type: "NamespaceDeleted", data: {} }];
      default:
        throw unknownCommand(command);
    }
  },

  evolve(state, event) {
    // The name label also on what events written before it was set carry (Kubernetes defaults it when reading too).
    if (event.type === "NamespaceCreated") {
      const { object } = event.data;
      return { object: { ...object, metadata: { ...object.metadata, labels: withNameLabel(object.metadata.labels, object.metadata.name) } } };
    }
    const ns = state.object;
    if (!ns) return state;
    switch (event.type) {
      case "NamespaceUpdated": {
        const { labels, annotations, spec } = event.data;
        return { object: { ...ns, metadata: dropUndefined({ ...ns.metadata, labels: withNameLabel(labels, ns.metadata.name), annotations }), spec } };
      }
      case "NamespaceTerminating":
        return { object: { ...ns, metadata: { ...ns.metadata, deletionTimestamp: event.data.deletionTimestamp }, status: { phase: "Terminating" } } };
      case "NamespaceDeleted":
        return { object: null };
      default:
        return unknownEvent(event, state);
    }
  },

  ...objectStateView(),
};

export { namespaceCodec };
