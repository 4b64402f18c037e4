/**
 * What a dry run (`?dryRun=All`, or `dryRun: ["All"]` in a delete's options: `kubectl diff`, `--dry-run=server`)
 * answers: the object as the write would leave it, as a read shows it. The kind's own decision runs on the object as
 * the read model holds it (its checks refuse what the write would refuse: an immutable field, a pod update, a name
 * taken) and its events are folded into a copy, nothing sent or stored; the kind's `keptOnUpdate` adds what its
 * admission keeps (a Service's clusterIP and node ports). What only admission gives a new object (a new Service's
 * clusterIP) is not in it. A kind without a create or update command of that shape answers the checked manifest.
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
  const kind = (model.kinds as Partial<Record<Resource, ActorKind>>)[route.resource];
  const current = model.get(ref.resource, ref.namespace, ref.name)?.object ?? null;
  const type = RESOURCE_INFO[route.resource].commands[verb];
  if (!kind || !type) return body;
  const data = kind.codec.parseManifest(route.version, body, { namespace: ref.namespace, name: ref.name }) as Record<string, unknown>;
  const now = new Date();
  const meta = {
    id: `dry-run-${randomUUID()}`, time: rfc3339Seconds(now), nowMs: now.getTime(), uid: randomUUID(), apiVersion: route.version,
    namespace: ref.namespace, name: ref.name, correlationId: "dry-run", actor: "dry-run",
  };
  const command: Command = { type, data: current && kind.keptOnUpdate ? kind.keptOnUpdate(data, current) : data, meta };
  let state = { ...(kind.decider.initialState as Record<string, unknown>), object: current };
  const version = (current?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  kind.decider.decide(command, state).forEach((e, i) => {
    const recorded: RecordedEvent = { ...e, version: i + 1, time: meta.time, uid: meta.uid, commandId: meta.id, sequence: Number(version ?? 0) };
    state = kind.decider.evolve(state, recorded) as typeof state;
  });
  const object = kind.decider.render(state);
  if (!object) return body;
  const stamped = version ? { ...object, metadata: { ...(object.metadata as object), resourceVersion: version } } : object;
  return present(model, revealManagedFields(kind.codec.render("v1", stamped) as Record<string, unknown>));
}
