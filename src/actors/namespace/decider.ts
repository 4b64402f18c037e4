/** The Namespace decider: pure decide/evolve for CreateNamespace and DeleteNamespace. */
import { z } from "zod";
import { namespaceCodec, type Namespace, type NamespaceManifest } from "../../api/namespace.js";
import { StatusError } from "../../api/status.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";

/** State: the namespace object while it exists. */
export interface NamespaceState {
  object: Namespace | null;
}

/** Commands a namespace accepts. */
export type NamespaceCommand =
  | Command<"CreateNamespace", NamespaceManifest>
  | Command<"UpdateNamespace", NamespaceManifest>
  | Command<"DeleteNamespace", { gracePeriodSeconds?: number | undefined }>;

/** Events a namespace records. */
export type NamespaceEvent =
  | RecordedEvent<"NamespaceCreated", { object: Namespace }>
  | RecordedEvent<"NamespaceUpdated", { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined; spec: Namespace["spec"] }>
  | RecordedEvent<"NamespaceDeleted", Record<string, never>>;

const DeleteOptions = z.strictObject({ gracePeriodSeconds: z.number().int().nonnegative().optional() });

function notFound(name: string): StatusError {
  return new StatusError("NotFound", `namespaces "${name}" not found`, { kind: "namespaces", name });
}

/** The namespace decider. Pure. */
export const namespaceDecider: Decider<NamespaceState, NamespaceCommand, NamespaceEvent> = {
  resource: "namespaces",
  commands: {
    CreateNamespace: { schema: z.unknown(), senders: ["user"], manifest: true },
    UpdateNamespace: { schema: z.unknown(), senders: ["user"], manifest: true },
    DeleteNamespace: { schema: DeleteOptions, senders: ["user"] },
  },
  initialState: { object: null },

  decide(command, state) {
    const name = command.meta.name;
    switch (command.type) {
      case "CreateNamespace": {
        if (state.object) throw new StatusError("AlreadyExists", `namespaces "${name}" already exists`, { kind: "namespaces", name });
        const { metadata, spec } = command.data;
        const object: Namespace = {
          kind: "Namespace",
          metadata: { ...metadata, uid: command.meta.uid, creationTimestamp: command.meta.time },
          spec,
          status: { phase: "Active" },
        };
        return [{ type: "NamespaceCreated", data: { object } }];
      }
      case "UpdateNamespace": {
        if (!state.object) throw notFound(name);
        const { labels, annotations } = command.data.metadata;
        return [{ type: "NamespaceUpdated", data: { labels, annotations, spec: command.data.spec } }];
      }
      case "DeleteNamespace":
        if (!state.object) throw notFound(name);
        return [{ type: "NamespaceDeleted", data: {} }];
      default: {
        const never: never = command;
        throw new StatusError("BadRequest", `unknown command ${(never as Command).type}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "NamespaceCreated":
        return { object: event.data.object };
      case "NamespaceUpdated": {
        if (!state.object) return state;
        const { labels, annotations, spec } = event.data;
        const metadata = { ...state.object.metadata, labels, annotations };
        return { object: { ...state.object, metadata: dropUndefined(metadata), spec } };
      }
      case "NamespaceDeleted":
        return { object: null };
      default: {
        const never: never = event;
        void never;
        return state;
      }
    }
  },

  render: (state) => state.object,
  uidOf: (state) => state.object?.metadata.uid,
};

export { namespaceCodec };

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
