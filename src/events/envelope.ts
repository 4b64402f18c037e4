/** The event envelope of PROTOCOL.md §2, as it is stored in COX_EVENTS. */
import { z } from "zod";

/** The schema version this code writes; older events are upcast on read. */
export const EVENT_SCHEMA_VERSION = 1;

/** One stored event. `version` counts 1, 2, 3… per entity with no gaps. */
export const EventEnvelope = z.object({
  type: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  uid: z.string(),
  version: z.number().int().positive(),
  time: z.string(),
  commandId: z.string(),
  correlationId: z.string().optional(),
  actor: z.string().optional(),
  term: z.number().int().nonnegative().optional(),
  schemaVersion: z.number().int().positive().optional(),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** An envelope together with where it sits in the stream. */
export interface StoredEvent {
  /** The stream sequence: the resourceVersion of the entity after this event. */
  sequence: number;
  subject: string;
  event: EventEnvelope;
}

/**
 * RFC 3339 at second precision (`2026-11-26T03:40:00Z`). Pure. The last second's text is kept: the actor host stamps
 * every command, thousands in one second during a scale-up, and each stamp was a `toISOString` and a regex replace.
 */
export function rfc3339Seconds(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = date.toISOString().replace(/\.\d{3}Z$/, "Z");
    lastSecond = second;
  }
  return lastText;
}

let lastSecond = NaN;
let lastText = "";

/**
 * True for an event whose version its entity already has (`version` is the entity's version before it): a second
 * append of one version. nats-server before 2.9.21 may accept two concurrent appends that expect the same last
 * subject sequence on a clustered stream (nats-server#4320). The first in stream order wins: every reader skips the
 * later one, so all of them fold the same history, and the host that appended it finds out and decides again. Pure.
 */
export function isSupersededVersion(version: number, event: Pick<EventEnvelope, "version">): boolean {
  return event.version <= version;
}
