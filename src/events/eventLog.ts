/** Exporting the event log as JSON lines and importing it into a stream, in order, entity by entity. */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { EventEnvelope, type StoredEvent } from "./envelope.js";
import { upcast } from "./upcast.js";
import { refFromEventSubject } from "./subjects.js";
import type { EntityPosition, EventStore } from "./eventStore.js";
import { StatusError } from "../api/status.js";
import { z } from "zod";

/** One line of an exported log. */
export const LogLine = z.object({ sequence: z.number().int().positive(), subject: z.string(), event: EventEnvelope });

/** Writes every event (or those matching `filter`) as one JSON line each; returns the count. */
export async function exportLog(store: EventStore, out: Writable, filter?: string): Promise<number> {
  let n = 0;
  for await (const e of store.replay(filter ? { filter } : {})) {
    const line = `${JSON.stringify({ sequence: e.sequence, subject: e.subject, event: e.event })}\n`;
    if (!out.write(line)) await new Promise((r) => out.once("drain", r));
    n++;
  }
  return n;
}

/** Reads a JSON-lines log into memory, validating every line (errors name the line). */
export async function readLog(input: Readable): Promise<StoredEvent[]> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  const out: StoredEvent[] = [];
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    if (raw.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new StatusError("BadRequest", `line ${lineNo}: not JSON`);
    }
    const r = LogLine.safeParse(json);
    if (!r.success) throw new StatusError("Invalid", `line ${lineNo}: ${r.error.issues[0]?.message ?? "invalid"}`);
    out.push({ ...r.data, event: upcast(r.data.event) });
  }
  return out;
}

/**
 * Appends a log's events to the store in log order, each entity guarded by its own expected sequence,
 * so an import into a stream that already holds some of these entities fails with a Conflict instead of mixing them.
 */
export async function importLog(store: EventStore, events: StoredEvent[]): Promise<number> {
  const positions = new Map<string, EntityPosition>();
  const indexInCommand = new Map<string, number>();
  for (const e of events) {
    const ref = refFromEventSubject(store.prefix, e.subject) ?? refFromEventSubject(subjectPrefix(e.subject), e.subject);
    if (!ref) throw new StatusError("BadRequest", `not an event subject: ${e.subject}`);
    const key = `${ref.resource}.${ref.namespace}.${ref.name}`;
    const pos = positions.get(key) ?? { version: e.event.version - 1, sequence: 0 };
    const idx = indexInCommand.get(`${key}/${e.event.commandId}`) ?? 0;
    indexInCommand.set(`${key}/${e.event.commandId}`, idx + 1);
    const r = await store.append(ref, pos, [e.event], idx === 0 ? e.event.commandId : `${e.event.commandId}/${idx}`);
    positions.set(key, r.position);
  }
  return events.length;
}

function subjectPrefix(subject: string): string {
  const i = subject.indexOf(".ev.");
  return i > 0 ? subject.slice(0, i) : subject;
}
