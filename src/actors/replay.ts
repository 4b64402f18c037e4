/** Replaying an event log through the actors' deciders: the state each entity ends in, without NATS. */
import { isSupersededVersion, type StoredEvent } from "../events/envelope.js";
import { refFromEventSubject } from "../events/subjects.js";
import type { RecordedEvent } from "./decider.js";
import { ACTOR_KINDS } from "./registry.js";

/** The state an entity ends in after a log. */
export interface ReplayedEntity {
  version: number;
  sequence: number;
  state: unknown;
}

/** Folds each entity's events through its kind's decider; keys are `<resource>.<ns>.<name>`. Pure. */
export function replayThroughActors(prefix: string, events: Iterable<StoredEvent>): Map<string, ReplayedEntity> {
  const out = new Map<string, ReplayedEntity>();
  for (const { subject, sequence, event } of events) {
    const ref = refFromEventSubject(prefix, subject);
    const kind = ref ? ACTOR_KINDS[ref.resource] : undefined;
    if (!ref || !kind) continue;
    const key = `${ref.resource}.${ref.namespace}.${ref.name}`;
    const prev = out.get(key) ?? { version: 0, sequence: 0, state: kind.decider.initialState };
    if (isSupersededVersion(prev.version, event)) continue;
    if (event.version !== prev.version + 1) throw new Error(`${key}: version ${event.version} follows ${prev.version}`);
    const recorded: RecordedEvent = { type: event.type, data: event.data, version: event.version, time: event.time, uid: event.uid, commandId: event.commandId, sequence };
    out.set(key, { version: event.version, sequence, state: kind.decider.evolve(prev.state, recorded) });
  }
  return out;
}
