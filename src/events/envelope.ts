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

const REQUIRED_TEXT = ["type", "kind", "namespace", "name"] as const;
const TEXT = ["uid", "time", "commandId"] as const;
const OPTIONAL_TEXT = ["correlationId", "actor"] as const;
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(Object.keys(EventEnvelope.shape));

/**
 * Whether `x` is already what `EventEnvelope.parse` returns for it (the same fields, types and checks, and no other
 * key), so that a reader may take it as it is. Every process reads every event, and the parse builds a copy of each
 * (two to five percent of what a part allocated in a scale-up); anything else goes through the parse, which names
 * what is wrong. Only a plain object qualifies (as JSON.parse makes): the checks read its own fields. Pure.
 */
export function isPlainEnvelope(x: unknown): x is EventEnvelope {
  if (typeof x !== "object" || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  const e = x as Record<string, unknown>;
  for (const k of REQUIRED_TEXT) if (typeof e[k] !== "string" || (e[k] as string).length === 0) return false;
  for (const k of TEXT) if (typeof e[k] !== "string") return false;
  for (const k of OPTIONAL_TEXT) if (e[k] !== undefined && typeof e[k] !== "string") return false;
  if (!wholeFrom(e.version, 1) || !(e.term === undefined || wholeFrom(e.term, 0)) || !(e.schemaVersion === undefined || wholeFrom(e.schemaVersion, 1))) return false;
  if (!("data" in e)) return false;
  for (const k in e) if (!ENVELOPE_KEYS.has(k)) return false;
  return true;
}

/** A safe integer of at least `min`, as `z.number().int()` with its bound checks it. Pure. */
function wholeFrom(n: unknown, min: number): boolean {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= min;
}

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
