/**
 * The decider of a kind whose objects have no lifecycle of their own (Lease, ServiceAccount, Role, RoleBinding,
 * ClusterRole, ClusterRoleBinding, Image): create, replace whole, delete. A replacement that changes nothing
 * records nothing. Optimistic concurrency (a replace based on a stale resourceVersion is a Conflict) is the host's,
 * the same for every kind.
 */
import { z } from "zod";
import type { Resource } from "../../api/kinds.js";
import { dropUndefined, type ClientObjectMeta, type ObjectMeta } from "../../api/objectMeta.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, newObjectMeta, objectStateView, requireAbsent, requireExisting, sameValue, unknownCommand, unknownEvent } from "../decisions.js";

/** An object of a plain kind: metadata plus the kind's own fields. */
export type PlainObject = { kind: string; metadata: ObjectMeta } & Record<string, unknown>;
/** The manifest of a create or replace. */
export type PlainManifest = { metadata: ClientObjectMeta } & Record<string, unknown>;

/** State: the object while it exists. */
export interface PlainState {
  object: PlainObject | null;
}

/** What a replace records: the kind's fields and the labels and annotations, whole. */
export type PlainChange = { fields: Record<string, unknown>; labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined };

/** The commands of a plain kind `K`. */
export type PlainCommand = Command<string, PlainManifest | DeleteOptions>;
/** Its events. */
export type PlainEvent = RecordedEvent<string, { object: PlainObject } | PlainChange | Record<string, never>>;

function fieldsOf(o: Record<string, unknown>): Record<string, unknown> {
  const { kind: _k, metadata: _m, apiVersion: _a, ...fields } = o;
  return fields;
}

/** The plain decider of `kind` (commands `Create<Kind>`, `Update<Kind>`, `Delete<Kind>`). Pure. */
export function plainObjectDecider(resource: Resource, kind: string, clusterScoped: boolean): Decider<PlainState, PlainCommand, PlainEvent> {
  const [create, update, remove] = [`Create${kind}`, `Update${kind}`, `Delete${kind}`];
  const [created, updated, deleted] = [`${kind}Created`, `${kind}Updated`, `${kind}Deleted`];
  return {
    resource,
    commands: {
      [create]: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
      [update]: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
      [remove]: { schema: DeleteOptions, senders: ["user", "controller"] },
    },
    initialState: { object: null },
    decide(command, state) {
      const name = command.meta.name;
      if (command.type === create) {
        requireAbsent(state.object, resource, name);
        const m = command.data as PlainManifest;
        return [{ type: created, data: { object: { kind, ...fieldsOf(m), metadata: newObjectMeta(m.metadata, command.meta, clusterScoped) } } }];
      }
      if (command.type === update) {
        const current = requireExisting(state.object, resource, name);
        const m = command.data as PlainManifest;
        const change = dropUndefined({ fields: fieldsOf(m), labels: m.metadata.labels, annotations: m.metadata.annotations });
        const before = dropUndefined({ fields: fieldsOf(current), labels: current.metadata.labels, annotations: current.metadata.annotations });
        return sameValue(change, before) ? [] : [{ type: updated, data: change }];
      }
      if (command.type === remove) {
        requireExisting(state.object, resource, name);
        return [{ type: deleted, data: {} }];
      }
      throw unknownCommand(command as never);
    },
    evolve(state, event) {
      if (event.type === created) return { object: (event.data as { object: PlainObject }).object };
      if (event.type === deleted) return { object: null };
      if (event.type === updated && state.object) {
        const { fields, labels, annotations } = event.data as PlainChange;
        const metadata = dropUndefined({ ...state.object.metadata, labels, annotations });
        return { object: { kind, ...fields, metadata } };
      }
      return unknownEvent(event as never, state);
    },
    ...objectStateView<PlainObject>(),
  };
}
