/**
 * What a dry run (`?dryRun=All`, or `dryRun: ["All"]` in a delete's options: `kubectl diff`, `--dry-run=server`)
 * answers: the object as the write would leave it, as a read shows it. The kind's own decision runs on the object as
 * the read model holds it (its checks refuse what the write would refuse: an immutable field, a pod update, a name
 * taken) and its events are folded into a copy, nothing sent or stored; the kind's `keptOnUpdate` adds what its
 * admission keeps (a Service's clusterIP and node ports). What only admission gives a new object (a new Service's
 * clusterIP) is not in it. A kind without a create or update command of that shape answers the checked manifest.
 * A dry-run delete answers the object as the kind's delete would leave it, or nothing when it would be gone.
 */
import { randomUUID } from "node:crypto";
import type { ActorKind } from "../actors/registry.js";
import type { Command, RecordedEvent } from "../actors/decider.js";
import { RESOURCE_INFO, type EntityRef, type Resource } from "../api/kinds.js";
import { rfc3339Seconds } from "../events/envelope.js";
import type { ReadModel } from "../projections/readModel.js";
import { revealManagedFields } from "./managedFields.js";
import { present } from "./present.js";
import type { ResourceRoute } from "./routes.js";

/** The object a dry-run create or update of `body` (already checked) at `ref` answers; throws what the write would. */
export function dryRunObject(model: ReadModel, route: ResourceRoute, ref: EntityRef, body: Record<string, unknown>, verb: "create" | "update"): Record<string, unknown> {
  // The read model's kinds: the deciders it folds the stream with (pure: a dry run needs nothing a host holds).
  const kind = kindOf(model, route.resource);
  const type = RESOURCE_INFO[route.resource].commands[verb];
  if (!kind || !type) return body;
  const data = kind.codec.parseManifest(route.version, body, { namespace: ref.namespace, name: ref.name }) as Record<string, unknown>;
  const current = model.get(ref.resource, ref.namespace, ref.name)?.object ?? null;
  return decideOnCopy(model, kind, route, ref, type, current && kind.keptOnUpdate ? kind.keptOnUpdate(data, current) : data, current)?.object ?? body;
}

/**
 * The object a dry-run delete with `options` (gracePeriodSeconds) answers, as the kind's own decision leaves it: still
 * there (Terminating: a pod's grace period, a namespace's teardown, finalizers that hold it), its
 * `deletionGracePeriodSeconds` how far its `deletionTimestamp` is past the delete's time when the decision sets no
 * other; null when it would be gone at once (the apiserver answers a Success Status then).
 */
export function dryRunDelete(model: ReadModel, route: ResourceRoute, ref: EntityRef, options: Record<string, unknown>): Record<string, unknown> | null {
  const kind = kindOf(model, route.resource);
  const type = RESOURCE_INFO[route.resource].commands.delete;
  const current = model.get(ref.resource, ref.namespace, ref.name)?.object ?? null;
  if (!kind || !type || !current) return null;
  const left = decideOnCopy(model, kind, route, ref, type, options, current);
  if (!left) return null;
  const meta = left.object.metadata as { deletionTimestamp?: string; deletionGracePeriodSeconds?: number };
  if (meta.deletionTimestamp === undefined || meta.deletionGracePeriodSeconds !== undefined) return left.object;
  const grace = Math.max(0, Math.round((Date.parse(meta.deletionTimestamp) - Date.parse(left.time)) / 1000));
  return { ...left.object, metadata: { ...meta, deletionGracePeriodSeconds: grace } };
}

function kindOf(model: ReadModel, resource: Resource): ActorKind | undefined {
  return (model.kinds as Partial<Record<Resource, ActorKind>>)[resource];
}

/**
 * Decides `type` with `data` on a copy of the object as the read model holds it (`current`) and folds its events into
 * the copy: the object that leaves, as a read shows it, and the command's time; null when it leaves none.
 */
function decideOnCopy(
  model: ReadModel, kind: ActorKind, route: ResourceRoute, ref: EntityRef, type: string, data: unknown, current: Record<string, unknown> | null,
): { object: Record<string, unknown>; time: string } | null {
  const now = new Date();
  const meta = {
    id: `dry-run-${randomUUID()}`, time: rfc3339Seconds(now), nowMs: now.getTime(), uid: randomUUID(), apiVersion: route.version,
    namespace: ref.namespace, name: ref.name, correlationId: "dry-run", actor: "dry-run",
  };
  const command: Command = { type, data, meta };
  let state = { ...(kind.decider.initialState as Record<string, unknown>), object: current };
  const version = (current?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  kind.decider.decide(command, state).forEach((e, i) => {
    const recorded: RecordedEvent = { ...e, version: i + 1, time: meta.time, uid: meta.uid, commandId: meta.id, sequence: Number(version ?? 0) };
    state = kind.decider.evolve(state, recorded) as typeof state;
  });
  const object = kind.decider.render(state);
  if (!object) return null;
  const stamped = version ? { ...object, metadata: { ...(object.metadata as object), resourceVersion: version } } : object;
  return { object: present(model, revealManagedFields(kind.codec.render("v1", stamped) as Record<string, unknown>)), time: meta.time };
}
