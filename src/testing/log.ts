/** Recorded event logs (`coxctl events export`): reading them, and replaying them into the read model or the actors' states. */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { StoredEvent } from "../events/envelope.js";
import { readLog } from "../events/eventLog.js";
import { replayThroughActors as foldThroughActors, type ReplayedEntity } from "../actors/replay.js";
import { replay as replayProjection } from "../projections/replay.js";

export type { StoredEvent, EventEnvelope } from "../events/envelope.js";
export type { ReplayedEntity } from "../actors/replay.js";
import type { KindName, ObjectOf } from "../client/types.js";

/** The read model a log ends in: each kind's v1 objects (sorted by namespace and name) and the last sequence. */
export interface ReplayedModel {
  resourceVersion: string;
  items: { [R in KindName]?: ObjectOf<R>[] };
}

/** A log: the path of a JSON-lines file, its text, or the events already read. */
export type LogSource = string | Iterable<StoredEvent>;

/**
 * Reads a JSON-lines log (`{ sequence, subject, event }` per line) from a file path, or from the text itself when
 * it starts with `{`. Every line is validated; an error names the line. Old events are upcast to the current shape.
 */
export async function loadLog(source: string): Promise<StoredEvent[]> {
  const input = source.trimStart().startsWith("{") ? Readable.from([source]) : createReadStream(source);
  return readLog(input);
}

/**
 * Rebuilds the read model a log ends in, with no server: every object by kind (v1), sorted by namespace and name,
 * and the last sequence. The same projection the API serves, so the result is what a list would show.
 */
export async function replay(log: LogSource): Promise<ReplayedModel> {
  return (await replayProjection(typeof log === "string" ? await loadLog(log) : log)) as ReplayedModel;
}

/**
 * Folds each entity's events through its kind's real decider (`evolve`), as an actor host rehydrates it: the state
 * each entity ends in, keyed `<resource>.<namespace>.<name>`. Deterministic; throws when an entity's versions have a
 * gap (a log that is not whole). The subject prefix is the log's (from its first subject) unless given.
 */
export async function replayThroughActors(log: LogSource, options: { prefix?: string } = {}): Promise<Map<string, ReplayedEntity>> {
  const events = typeof log === "string" ? await loadLog(log) : [...log];
  return foldThroughActors(options.prefix ?? prefixOfLog(events), events);
}

/** The subject prefix of a log (`cox` for `cox.ev.pods.default.web`), `cox` when empty. Pure. */
export function prefixOfLog(events: readonly StoredEvent[]): string {
  const subject = events[0]?.subject ?? "";
  const i = subject.indexOf(".ev.");
  return i > 0 ? subject.slice(0, i) : "cox";
}
