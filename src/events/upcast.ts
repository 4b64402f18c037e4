/**
 * Upcasters: old events stay readable. Each stored event carries `schemaVersion` (absent = 0, the
 * pre-release shape); on read, upcasters lift it step by step to EVENT_SCHEMA_VERSION. Pure.
 */
import { EVENT_SCHEMA_VERSION, EventEnvelope, isPlainEnvelope } from "./envelope.js";
import { isSealed, sealedFor, unseal } from "./sealing.js";

/** Turns an event of `fromVersion` into the next version (same type or a renamed one). */
export type Upcaster = (event: EventEnvelope) => EventEnvelope;

/** Upcasters by `<fromVersion>:<type>`; a type with no entry for a version is unchanged by that step. */
const UPCASTERS: Record<string, Upcaster> = {
  // v0 (pre-release) NamespaceCreated carried `{ name, labels }`; v1 carries the whole object.
  "0:NamespaceCreated": (e) => {
    const old = e.data as { labels?: Record<string, string> };
    return {
      ...e,
      data: {
        object: {
          kind: "Namespace",
          metadata: { name: e.name, uid: e.uid, creationTimestamp: e.time, ...(old.labels ? { labels: old.labels } : {}) },
          spec: {},
          status: { phase: "Active" },
        },
      },
    };
  },
};

/** Lifts an event to the current schema version. Events from a newer schema are refused. Pure. */
export function upcast(event: EventEnvelope): EventEnvelope {
  let e = event;
  let v = e.schemaVersion ?? 0;
  if (v > EVENT_SCHEMA_VERSION) {
    throw new Error(`event ${e.type} of ${e.name} has schema version ${v}; this code reads up to ${EVENT_SCHEMA_VERSION}: upgrade it`);
  }
  while (v < EVENT_SCHEMA_VERSION) {
    const step = UPCASTERS[`${v}:${e.type}`];
    e = { ...(step ? step(e) : e), schemaVersion: v + 1 };
    v++;
  }
  return e;
}

const utf8 = new TextDecoder();

/**
 * An event as stored (JSON bytes), checked against the envelope and lifted to the current schema; throws when it is
 * not one. One already in the envelope's shape is taken as it is, not copied by the parse. A sealed event's data is
 * opened with this process's key (kept sealed without one: src/events/sealing.ts). Pure but for that key.
 */
export function decodeEvent(data: Uint8Array): EventEnvelope {
  const json: unknown = JSON.parse(utf8.decode(data));
  const stored = isPlainEnvelope(json) ? json : EventEnvelope.parse(json);
  // Opened as stored, before any upcaster: an upcaster reads the data, and the sealing is bound to the stored names.
  if (isSealed(stored.data)) stored.data = unseal(stored.data, sealedFor(stored));
  return upcast(stored);
}
