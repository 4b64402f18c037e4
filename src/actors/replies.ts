/** The replies of the actor host: the object as a command left it, in the command's apiVersion. */
import type { CommandReply } from "../api/reply.js";
import type { EventEnvelope } from "../events/envelope.js";
import type { EventStore } from "../events/eventStore.js";
import type { RecordedEvent } from "./decider.js";
import type { AdmittedCommand } from "./door.js";
import type { Entity } from "./entity.js";
import type { CommandOutcome } from "./snapshots.js";

/**
 * The reply to a command just run: the object as it stands, or, when it is gone, as `before` gives it (the object as
 * it last stood, computed only then). Pure.
 */
export function okReply(entity: Entity, cmd: AdmittedCommand, events: string[], before: Record<string, unknown> | null | (() => Record<string, unknown> | null)): CommandReply {
  const object = cmd.replyObject === false ? null : cmd.kind.decider.render(entity.state) ?? (typeof before === "function" ? before() : before);
  return {
    ok: true,
    object: object ? cmd.kind.codec.render(cmd.apiVersion, withResourceVersion(object, entity.position.sequence)) : null,
    version: entity.position.version,
    resourceVersion: String(entity.position.sequence),
    events,
  };
}

/**
 * The object as the command's events left it just before the last of them, when the command made more than one and
 * the last deleted it (the update that takes an object's last finalizer away): the reply shows that object, as
 * Kubernetes answers such an update, not the object before the command. Null for a command of one event. Pure.
 */
export function shownBeforeLast(cmd: AdmittedCommand, prior: unknown, stored: { event: EventEnvelope; sequence: number }[]): Record<string, unknown> | null {
  const decider = cmd.kind.decider;
  if (stored.length < 2) return null;
  let state = prior;
  for (const { event, sequence } of stored.slice(0, -1)) state = decider.evolve(state, { ...event, sequence } as RecordedEvent);
  return decider.render(state);
}

/** The reply a repeated command gets: the object as that command left it (read back from the log when it has moved on). */
export async function replyFromHistory(store: EventStore, entity: Entity, outcome: CommandOutcome, cmd: AdmittedCommand): Promise<CommandReply> {
  if (cmd.replyObject === false) return { ok: true, object: null, version: outcome.version, resourceVersion: String(outcome.sequence), events: outcome.events };
  const decider = cmd.kind.decider;
  let object = outcome.version === entity.position.version ? decider.render(entity.state) : null;
  if (object === null) {
    // Moved on since, or gone: the object as the command left it, read back (as okReply answers a deletion of
    // several events: before its last).
    const history = await store.readEntity(cmd.ref);
    let state = decider.initialState;
    let previous = state;
    for (const { event, sequence } of history) {
      if (event.version > outcome.version) break;
      previous = state;
      state = decider.evolve(state, { ...event, sequence } as RecordedEvent);
    }
    object = decider.render(state) ?? (outcome.events.length > 1 ? decider.render(previous) : null);
  }
  return {
    ok: true,
    object: object ? cmd.kind.codec.render(cmd.apiVersion, withResourceVersion(object, outcome.sequence)) : null,
    version: outcome.version,
    resourceVersion: String(outcome.sequence),
    events: outcome.events,
  };
}

function withResourceVersion(object: Record<string, unknown>, sequence: number): Record<string, unknown> {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return { ...object, metadata: { ...metadata, resourceVersion: String(sequence) } };
}
