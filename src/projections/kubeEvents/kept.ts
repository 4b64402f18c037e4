/**
 * An Event as the read model keeps it: the fields that differ from Event to Event, and references to the parts it
 * shares with others (the involved object, the source, the message). Rendered into the core v1 Event on read; the
 * uid, the reporting fields and the repeated timestamps are computed, not stored. Hundreds of thousands of Events
 * outlive their pods in a long history, so each byte here is paid that many times, in memory and in checkpoints.
 */
import type { Event, EventSource, ObjectReference } from "../../api/event.js";

/** The stored form of one Event (the `state` of its document). */
export interface KeptEvent {
  name: string;
  namespace: string;
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  type: Event["type"];
  source: EventSource;
  /** creationTimestamp and firstTimestamp. */
  first: string;
  /** lastTimestamp. */
  last: string;
  count: number;
}

/** 32-bit FNV-1a of `s` from `seed`, as 8 hex digits. Pure. */
function fnv(s: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * A stable uid for a derived Event (the same on every replay), shaped as a UUID: hashes of its namespace and name,
 * and the name's own time suffix, which already makes it unique. A cryptographic hash would cost more than the
 * rest of the fold. Pure.
 */
export function eventUid(namespace: string, name: string): string {
  const h = `${fnv(`${namespace}/${name}`, 2166136261)}${fnv(name, 0x9e3779b9)}${name.slice(name.lastIndexOf(".") + 1).padStart(16, "0").slice(-16)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The core v1 Event a kept one stands for. Pure. */
export function renderKept(k: KeptEvent): Event {
  return {
    kind: "Event", metadata: { name: k.name, namespace: k.namespace, uid: eventUid(k.namespace, k.name), creationTimestamp: k.first },
    involvedObject: k.involvedObject, reason: k.reason, message: k.message, source: k.source,
    firstTimestamp: k.first, lastTimestamp: k.last, count: k.count, type: k.type,
    reportingComponent: k.source.component, reportingInstance: k.source.host ?? "",
  };
}

/** Whether a document's state is a full Event (as checkpoints before the kept form hold them). */
function isFullEvent(state: unknown): state is Event {
  return (state as { kind?: unknown }).kind === "Event";
}

/** The kept form of a stored state: itself, or a full Event (an older checkpoint) reduced to it. Pure. */
export function keptOf(state: unknown): KeptEvent {
  if (!isFullEvent(state)) return state as KeptEvent;
  const e = state;
  return {
    name: e.metadata.name, namespace: e.metadata.namespace, involvedObject: e.involvedObject, reason: e.reason, message: e.message,
    type: e.type, source: e.source, first: e.firstTimestamp, last: e.lastTimestamp, count: e.count,
  };
}

const SAME_REF_FIELDS = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"] as const;

/** Whether two references are equal field by field. Pure. */
function sameRef(a: ObjectReference, b: ObjectReference): boolean {
  return SAME_REF_FIELDS.every((f) => a[f] === b[f]);
}

/** Most strings remembered before the table starts over (a bound, not a cache policy: equal values either way). */
const MAX_STRINGS = 4_096;

/**
 * Shares equal parts between the Events it sees: a reference or a source equal to the last one seen is replaced by
 * it (the Events of one stream event, and a pod's successive ones, name the same object), and messages and times
 * by one string each while the table has room. Values stay equal, so every rendering is byte-identical.
 */
export class EventSharing {
  private ref: ObjectReference | null = null;
  private source: EventSource | null = null;
  private readonly strings = new Map<string, string>();

  /** A copy of `k` with its parts replaced by equal ones already held. */
  share(k: KeptEvent): KeptEvent {
    const involvedObject = this.ref && sameRef(this.ref, k.involvedObject) ? this.ref : (this.ref = k.involvedObject);
    const s = this.source;
    const source = s && s.component === k.source.component && s.host === k.source.host ? s : (this.source = k.source);
    const message = this.string(k.message);
    const first = this.string(k.first);
    const last = k.last === k.first ? first : this.string(k.last);
    // Always a new object: `===` tells strings apart by their characters, not by which copy they are.
    return { ...k, involvedObject, source, message, first, last };
  }

  /** One string per distinct value while the table has room. */
  string(s: string): string {
    const held = this.strings.get(s);
    if (held !== undefined) return held;
    if (this.strings.size >= MAX_STRINGS) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }
}
