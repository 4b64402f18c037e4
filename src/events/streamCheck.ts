/**
 * The stream checker of the fault tests and the bench: reads COX_EVENTS (or any list of stored events) and reports
 * every violation of the event store's promises, on the history every reader folds (a superseded version, i.e. a
 * second event of a version the entity already has, is skipped by every reader; see isSupersededVersion): per entity,
 * versions run 1..n with no gap; each command id produced one contiguous run of events (a command applied twice is a
 * second run); and every acknowledged command is in that history. Superseded events are listed too: each one is
 * an append that nats-server accepted against its expected sequence (nats-server#4320) and that its host redid.
 */
import { isSupersededVersion, type StoredEvent } from "./envelope.js";
import type { EventStore } from "./eventStore.js";

/** A command a sender saw acknowledged: it must be in the stream. */
export interface AckedCommand {
  subject: string;
  commandId: string;
}

/** What the checker found. Empty lists mean the stream keeps its promises. */
export interface StreamReport {
  events: number;
  entities: number;
  /** An entity's version that is more than the previous one + 1. */
  gaps: { subject: string; sequence: number; expected: number; got: number }[];
  /** An entity's version seen again: skipped by every reader (not part of the history). */
  superseded: { subject: string; sequence: number; version: number }[];
  /** A command id with two separate runs of events on one entity: applied twice. */
  repeatedCommands: { subject: string; commandId: string; versions: number[] }[];
  /** Acknowledged commands with no event in the stream. */
  lost: AckedCommand[];
}

interface EntityTrack {
  version: number;
  lastCommand: string;
  runs: Map<string, number[]>;
}

/** Checks events in stream order. Pure. */
export function checkEvents(events: Iterable<StoredEvent>, acked: readonly AckedCommand[] = []): StreamReport {
  const report: StreamReport = { events: 0, entities: 0, gaps: [], superseded: [], repeatedCommands: [], lost: [] };
  const tracks = new Map<string, EntityTrack>();
  for (const { sequence, subject, event } of events) {
    report.events++;
    let t = tracks.get(subject);
    if (!t) tracks.set(subject, (t = { version: 0, lastCommand: "", runs: new Map() }));
    if (isSupersededVersion(t.version, event)) {
      report.superseded.push({ subject, sequence, version: event.version });
      continue;
    }
    if (event.version !== t.version + 1) report.gaps.push({ subject, sequence, expected: t.version + 1, got: event.version });
    const versions = t.runs.get(event.commandId);
    if (versions && t.lastCommand !== event.commandId) report.repeatedCommands.push({ subject, commandId: event.commandId, versions: [...versions, event.version] });
    t.runs.set(event.commandId, [...(versions ?? []), event.version]);
    t.lastCommand = event.commandId;
    t.version = event.version;
  }
  report.entities = tracks.size;
  report.lost = acked.filter((a) => !tracks.get(a.subject)?.runs.has(a.commandId));
  return report;
}

/** Reads the whole stream (every event of the store's prefix) and checks it. */
export async function checkStream(store: EventStore, acked: readonly AckedCommand[] = []): Promise<StreamReport> {
  const events: StoredEvent[] = [];
  for await (const e of store.replay()) events.push(e);
  return checkEvents(events, acked);
}

/** One line that says what was checked and what was found. Pure. */
export function describeReport(r: StreamReport): string {
  return `${r.events} events on ${r.entities} entities: ${r.gaps.length} gaps, ${r.repeatedCommands.length} commands applied twice, ` +
    `${r.lost.length} acknowledged commands lost; ${r.superseded.length} superseded appends (skipped by readers, redone)`;
}

/** True when the report found nothing wrong. Pure. */
export function isClean(r: StreamReport): boolean {
  return r.gaps.length === 0 && r.repeatedCommands.length === 0 && r.lost.length === 0;
}
