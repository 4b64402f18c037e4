/**
 * The decider of a kind whose objects have no lifecycle of their own beyond their spec (Lease, ServiceAccount, the
 * RBAC kinds, Image, and with `workload` the apps/v1 ReplicaSet and Deployment): create, replace whole, delete; a
 * workload also counts spec changes in `metadata.generation`, scales (`Scale<Kind>`) and takes the status its
 * controller observed (`Record<Kind>Status`, controllers only); a kind with only a `status` (a PersistentVolume)
 * takes that status alone, and starts with its initial one. Commands that would change nothing record nothing.
 * Finalizers (`metadata.finalizers`) hold a deletion: the object is Terminating (`deletionTimestamp` set) until an
 * update takes the last of them away, and then deleted; a replace that leaves them out keeps them (controllers
 * replace objects from their own fields; the HTTP API's PUT and PATCH always state them), and none can be added
 * while it is Terminating.
 * Optimistic concurrency (a replace based on a stale resourceVersion is a Conflict) is the host's, as for every kind.
 */
import { z } from "zod";
import type { Resource } from "../../api/kinds.js";
import { dropUndefined, type ClientObjectMeta, type ObjectMeta } from "../../api/objectMeta.js";
import type { Command, CommandSpec, DecidedEvent, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, finalizersOf, newObjectMeta, requireNoNewFinalizers, objectStateView, requireAbsent, requireExisting, sameValue, unknownCommand, unknownEvent } from "../decisions.js";

/** An object of a plain kind: metadata plus the kind's own fields. */
export type PlainObject = { kind: string; metadata: ObjectMeta; spec?: { replicas?: number } & Record<string, unknown>; status?: unknown } & Record<string, unknown>;
/** The manifest of a create or replace. */
export type PlainManifest = { metadata: ClientObjectMeta } & Record<string, unknown>;

/** State: the object while it exists. */
export interface PlainState {
  object: PlainObject | null;
}

/** What a replace records: the kind's fields and the labels, annotations and finalizers, whole. */
export type PlainChange = {
  fields: Record<string, unknown>; labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined; finalizers?: string[] | undefined;
};

/** The command types of plain kind `K`; a workload (`W`) scales and takes its status too. */
export type PlainCommandType<K extends string, W extends boolean = boolean> = `Create${K}` | `Update${K}` | `Delete${K}` | (W extends true ? `Scale${K}` | `Record${K}Status` : never);
/** The event types of plain kind `K`. */
export type PlainEventType<K extends string, W extends boolean = boolean> = `${K}Created` | `${K}Updated` | `${K}Terminating` | `${K}Deleted` | (W extends true ? `${K}Scaled` | `${K}StatusRecorded` : never);
/** The commands of plain kind `K`, typed by name and data. */
export type PlainCommand<K extends string = string, W extends boolean = boolean> =
  | Command<`Create${K}` | `Update${K}`, PlainManifest>
  | Command<`Delete${K}`, DeleteOptions>
  | (W extends true ? Command<`Scale${K}`, { replicas: number }> | Command<`Record${K}Status`, unknown> : never);
/** Its events. */
export type PlainEvent<K extends string = string, W extends boolean = boolean> = RecordedEvent<PlainEventType<K, W>, unknown>;

/** What is special about one plain kind. */
export interface PlainKindOptions<K extends string = string> {
  resource: Resource;
  kind: K;
  clusterScoped: boolean;
  /** A workload: generation, `Scale<Kind>` (unless `scales` is false: a Job) and `Record<Kind>Status` (with the status schema). */
  workload?: { status: z.ZodType; scales?: false };
  /**
   * Not a workload, but with a status its controllers record (`Record<Kind>Status`, controllers only, the whole status
   * as `schema` has it): no generation, no scale. A created object's status is `initial` (a PersistentVolume's Pending).
   */
  status?: { schema: z.ZodType; initial: unknown };
  /**
   * What the kind checks beyond its schema, of a create (`current` null) or an update's fields: throws the refusal
   * (a StatusError) when they cannot be (a key twice, a change to what is immutable).
   */
  check?: (fields: Record<string, unknown>, current: PlainObject | null, name: string) => void;
  /** What the kind refuses to delete (throws the refusal): Kubernetes' own PriorityClasses. */
  checkDelete?: (current: PlainObject, name: string) => void;
  /**
   * What is stored of a written object's fields, before `check` (a Secret's `stringData` merged into `data`, a Job's
   * pods labelled with its uid); `object` names the object written (its uid: the existing one's on an update).
   */
  stored?: (fields: Record<string, unknown>, object: { name: string; uid: string }) => Record<string, unknown>;
  /**
   * The finalizers every object gets when it is created, after its own (Kubernetes' storage protection:
   * `kubernetes.io/pvc-protection` on claims, `kubernetes.io/pv-protection` on volumes).
   */
  finalizers?: readonly string[];
  /** The labels an object written without any takes, from its stored fields (a Job: its pod template's, as Kubernetes defaults them). */
  defaultLabels?: (fields: Record<string, unknown>) => Record<string, string> | undefined;
  /** Commands of the kind's own beyond the plain ones (a PodDisruptionBudget's AdmitEviction), on an existing object. */
  own?: OwnCommands;
}

/** A plain kind's own commands: their specs, their decisions on the object, and what their events make of it. */
export interface OwnCommands {
  commands: Record<string, CommandSpec>;
  /** The events of one of `commands` (throws its refusal). Pure. */
  decide(command: Command, object: PlainObject): DecidedEvent[];
  /** The object after one of its events; undefined for an event not its own. Pure. */
  evolve(object: PlainObject, event: DecidedEvent): PlainObject | undefined;
}

/**
 * A plain kind's read command for its host (`Resolve<Kind>`: a pod's admission reads a class or a range through it):
 * it records nothing, and its reply carries the object, or NotFound. Pure.
 */
export function resolveCommand(type: string): OwnCommands {
  return { commands: { [type]: { schema: z.strictObject({}), senders: ["host"] } }, decide: () => [], evolve: () => undefined };
}

const ScaleData = z.strictObject({ replicas: z.number().int("must be an integer").nonnegative("must be greater than or equal to 0") });

function fieldsOf(o: Record<string, unknown>): Record<string, unknown> {
  const { kind: _k, metadata: _m, apiVersion: _a, status: _s, ...fields } = o;
  return fields;
}

function withGeneration(o: PlainObject, spec: unknown, workload: boolean): ObjectMeta {
  if (!workload) return o.metadata;
  const generation = o.metadata.generation ?? 1;
  return { ...o.metadata, generation: sameValue(o.spec, spec) ? generation : generation + 1 };
}

/** The plain decider of one kind: a workload's, with its scale and status commands. Pure. */
export function plainObjectDecider<K extends string>(opts: PlainKindOptions<K> & { workload: { status: z.ZodType; scales?: false } }): Decider<PlainState, PlainCommand<K, true>, PlainEvent<K, true>>;
/** The plain decider of one kind with a status of its controllers' (no scale, no generation). Pure. */
export function plainObjectDecider<K extends string>(opts: PlainKindOptions<K> & { workload?: undefined; status: { schema: z.ZodType; initial: unknown } }): Decider<PlainState, PlainCommand<K, true>, PlainEvent<K, true>>;
/** The plain decider of one kind that is not a workload. Pure. */
export function plainObjectDecider<K extends string>(opts: PlainKindOptions<K> & { workload?: undefined }): Decider<PlainState, PlainCommand<K, false>, PlainEvent<K, false>>;
export function plainObjectDecider<K extends string>(opts: PlainKindOptions<K>): Decider<PlainState, PlainCommand<K>, PlainEvent<K>> {
  const { resource, kind, clusterScoped, workload, check } = opts;
  const statusSchema = workload?.status ?? opts.status?.schema;
  const initialStatus = () => (workload ? { status: {} } : opts.status ? { status: structuredClone(opts.status.initial) } : {});
  const written = (m: PlainManifest, object: { name: string; uid: string }) => (opts.stored ? opts.stored(fieldsOf(m), object) : fieldsOf(m));
  const labelsOf = (m: PlainManifest, fields: Record<string, unknown>) =>
    (m.metadata.labels && Object.keys(m.metadata.labels).length > 0 ? m.metadata.labels : opts.defaultLabels?.(fields) ?? m.metadata.labels);
  const t = { create: `Create${kind}`, update: `Update${kind}`, remove: `Delete${kind}`, scale: `Scale${kind}`, status: `Record${kind}Status` } as const;
  const e = { created: `${kind}Created`, updated: `${kind}Updated`, terminating: `${kind}Terminating`, deleted: `${kind}Deleted`, scaled: `${kind}Scaled`, status: `${kind}StatusRecorded` } as const;
  const commands: Record<string, CommandSpec> = {
    [t.create]: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
    [t.update]: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
    [t.remove]: { schema: DeleteOptions, senders: ["user", "controller"] },
    ...(workload && workload.scales !== false ? { [t.scale]: { schema: ScaleData, senders: ["user", "controller"] } } : {}),
    ...(statusSchema ? { [t.status]: { schema: statusSchema, senders: ["controller"] } } : {}),
    ...opts.own?.commands,
  };
  return {
    resource,
    commands: commands as Record<PlainCommandType<K>, CommandSpec>,
    initialState: { object: null },
    decide(command, state) {
      const name = command.meta.name;
      if (command.type === t.create) {
        requireAbsent(state.object, resource, name);
        const m = command.data as PlainManifest;
        const fields = written(m, { name, uid: command.meta.uid });
        check?.(fields, null, name);
        const labels = labelsOf(m, fields);
        const metadata = newObjectMeta({ ...m.metadata, ...(labels ? { labels } : {}), finalizers: [...new Set([...m.metadata.finalizers ?? [], ...opts.finalizers ?? []])] }, command.meta, clusterScoped);
        const object = { kind, ...fields, metadata: workload ? { ...metadata, generation: 1 } : metadata, ...initialStatus() };
        return [{ type: e.created, data: { object } }];
      }
      const current = requireExisting(state.object, resource, name);
      switch (command.type) {
        case t.update: {
          const m = command.data as PlainManifest;
          const fields = written(m, { name, uid: current.metadata.uid });
          check?.(fields, current, name);
          const deleting = current.metadata.deletionTimestamp !== undefined;
          const finalizers = finalizersOf(m.metadata.finalizers ?? current.metadata.finalizers);
          if (deleting) requireNoNewFinalizers(resource, name, finalizers, current.metadata.finalizers);
          const change = dropUndefined({ fields, labels: labelsOf(m, fields), annotations: m.metadata.annotations, finalizers });
          const before = dropUndefined({ fields: fieldsOf(current), labels: current.metadata.labels, annotations: current.metadata.annotations, finalizers: current.metadata.finalizers });
          const updated = sameValue(change, before) ? [] : [{ type: e.updated, data: change }];
          // The last finalizer of an object being deleted taken away: the deletion it held goes on.
          return deleting && finalizers === undefined ? [...updated, { type: e.deleted, data: {} }] : updated;
        }
        case t.scale: {
          const { replicas } = command.data as { replicas: number };
          return current.spec?.replicas === replicas ? [] : [{ type: e.scaled, data: { replicas } }];
        }
        case t.status:
          return sameValue(command.data, current.status) ? [] : [{ type: e.status, data: command.data }];
        case t.remove:
          opts.checkDelete?.(current, name);
          if (current.metadata.deletionTimestamp !== undefined) return [];
          if (current.metadata.finalizers !== undefined) {
            // A workload's generation moves on, as Kubernetes marks an object with a generation for deletion.
            const generation = workload ? { generation: (current.metadata.generation ?? 1) + 1 } : {};
            return [{ type: e.terminating, data: { deletionTimestamp: command.meta.time, ...generation } }];
          }
          return [{ type: e.deleted, data: {} }];
        default:
          if (opts.own?.commands[command.type]) return opts.own.decide(command, current) as PlainEvent<K>[];
          throw unknownCommand(command as never);
      }
    },
    evolve(state, event) {
      if (event.type === e.created) return { object: (event.data as { object: PlainObject }).object };
      const o = state.object;
      if (!o) return state;
      switch (event.type) {
        case e.deleted: return { object: null };
        case e.terminating: {
          const { deletionTimestamp, generation } = event.data as { deletionTimestamp: string; generation?: number };
          return { object: { ...o, metadata: { ...o.metadata, deletionTimestamp, deletionGracePeriodSeconds: 0, ...(generation ? { generation } : {}) } } };
        }
        case e.updated: {
          const { fields, labels, annotations, finalizers } = event.data as PlainChange;
          const metadata = dropUndefined({ ...withGeneration(o, fields.spec, !!workload), labels, annotations, finalizers });
          return { object: dropUndefined({ kind, ...fields, metadata, status: o.status }) as PlainObject };
        }
        case e.scaled: {
          const spec = { ...o.spec, replicas: (event.data as { replicas: number }).replicas };
          return { object: { ...o, metadata: withGeneration(o, spec, !!workload), spec } };
        }
        case e.status: return { object: { ...o, status: event.data } };
        default: {
          const object = opts.own?.evolve(o, event);
          return object ? { object } : unknownEvent(event as never, state);
        }
      }
    },
    ...objectStateView<PlainObject>(),
  };
}
