/**
 * An Event as the read model keeps it: the fields that differ from Event to Event, and references to the parts it
 * shares with others (the involved object, the source, the message). Rendered into the core v1 Event on read; the
 * uid, the reporting fields and the repeated timestamps are computed, not stored. Hundreds of thousands of Events
 * outlive their pods in a long history, so each byte here is paid that many times, in memory and in checkpoints.
 */
import { eventUid, type Event, type EventSource, type ObjectReference } from "../../api/event.js";
import type { EntityDocument } from "../projection.js";
import { StringTable } from "../../events/internTable.js";

export { eventUid };

/** An Event's own fields beside its document's (name, namespace, version = count, sequence). */
export interface KeptFields {
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  type: Event["type"];
  source: EventSource;
  /** creationTimestamp and firstTimestamp. */
  first: string;
  /** lastTimestamp. */
  last: string;
  /** For an Event a client wrote: the stream time of its last write, which its expiry and order go by (not `last`, the client's). */
  written?: string | undefined;
}

/**
 * An Event document's state as a checkpoint holds it: positional, the reference and the source too (a long history
 * holds hundreds of thousands of Events, and a checkpoint load reads every character):
 * `[reason, message, type, [kind, name, uid, apiVersion, namespace, resourceVersion, fieldPath], [component, host],
 * first, last]`, null for what is absent and for a `last` equal to `first`; a written Event's has its stream time after them.
 */
export type KeptJson = [string, string, Event["type"], (string | null)[], (string | null)[], string, string | null, string?];

/**
 * An Event document and its stored fields in one object (its `state` is itself): one small object per Event. Its
 * JSON (a checkpoint's) is an ordinary document whose state is a KeptJson.
 */
export class KeptEvent implements EntityDocument {
  constructor(
    readonly namespace: string,
    readonly name: string,
    /** The repeat count. */
    readonly version: number,
    readonly sequence: number,
    readonly involvedObject: ObjectReference,
    readonly reason: string,
    readonly message: string,
    readonly type: Event["type"],
    readonly source: EventSource,
    readonly first: string,
    readonly last: string,
  ) {}

  /** On the prototype, not in each of the (many) objects. */
  get resource(): "events" {
    return "events";
  }

  get state(): KeptEvent {
    return this;
  }

  get count(): number {
    return this.version;
  }

  /** The time its expiry and its place among its namespace's Events go by: when it was last seen. */
  get seen(): string {
    return this.last;
  }

  /** The same Event seen again at `last` by the stream event `sequence`. */
  repeated(sequence: number, last: string): KeptEvent {
    return new KeptEvent(this.namespace, this.name, this.version + 1, sequence, this.involvedObject, this.reason, this.message, this.type, this.source, this.first, last);
  }

  toJSON(): EntityDocument & { state: KeptJson } {
    const { resource, namespace, name, version, sequence, involvedObject: o, source: s } = this;
    const ref = [o.kind, o.name, o.uid, o.apiVersion, o.namespace ?? null, o.resourceVersion ?? null, o.fieldPath ?? null];
    const state: KeptJson = [this.reason, this.message, this.type, ref, [s.component, s.host ?? null], this.first, this.last === this.first ? null : this.last];
    if (this.seen !== this.last) state.push(this.seen);
    return { resource, namespace, name, version, sequence, state };
  }
}

/**
 * An Event a client wrote: its times are the client's, so it is kept by the stream time of its last write (`seen`),
 * which its expiry and its place among its namespace's Events go by.
 */
export class WrittenEvent extends KeptEvent {
  constructor(doc: { namespace: string; name: string; version: number; sequence: number }, f: KeptFields, private readonly written: string) {
    super(doc.namespace, doc.name, doc.version, doc.sequence, f.involvedObject, f.reason, f.message, f.type, f.source, f.first, f.last);
  }

  override get seen(): string {
    return this.written;
  }
}

/** The core v1 Event a kept one stands for. Pure. */
export function renderKept(k: KeptEvent): Event {
  return {
    kind: "Event", metadata: { name: k.name, namespace: k.namespace, uid: eventUid(k.namespace, k.name), creationTimestamp: k.first },
    involvedObject: k.involvedObject, reason: k.reason, message: k.message, source: k.source,
    firstTimestamp: k.first, lastTimestamp: k.last, count: k.version, type: k.type,
    reportingComponent: k.source.component, reportingInstance: k.source.host ?? "",
  };
}

/** The fields of a checkpoint's Event document: a KeptJson, or a full Event (a checkpoint older than KeptJson). Pure. */
export function keptFieldsOf(state: unknown): KeptFields {
  if (!Array.isArray(state)) {
    const e = state as Event;
    return { involvedObject: e.involvedObject, reason: e.reason, message: e.message, type: e.type, source: e.source, first: e.firstTimestamp, last: e.lastTimestamp };
  }
  const [reason, message, type, [kind, name, uid, apiVersion, namespace, resourceVersion, fieldPath], [component, host], first, last, written] = state as KeptJson;
  // The keys in the order referenceTo writes them, so that the rendering is byte for byte the same.
  const involvedObject = {
    kind, ...(namespace != null ? { namespace } : {}), name, uid, apiVersion,
    ...(resourceVersion != null ? { resourceVersion } : {}), ...(fieldPath != null ? { fieldPath } : {}),
  } as ObjectReference;
  const source = (host != null ? { component, host } : { component }) as EventSource;
  return { involvedObject, reason, message, type, source, first, last: last ?? first, written };
}

const SAME_REF_FIELDS = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"] as const;

/** Most strings remembered before the table starts over (a bound, not a cache policy: equal values either way). */
const MAX_STRINGS = 4_096;

/**
 * Shares equal parts between the Events it sees: a reference or a source equal to the last one seen is replaced by
 * it (the Events of one stream event, and a pod's successive ones, name the same object), and messages, field paths
 * and times by one string each while the table has room. Values stay equal, so every rendering is byte-identical.
 */
export class EventSharing {
  private lastRef: ObjectReference | null = null;
  private readonly sources = new Map<string, EventSource>();
  private readonly strings = new StringTable(MAX_STRINGS);

  /** A new Event document, its parts shared. */
  kept(doc: { namespace: string; name: string; version: number; sequence: number }, f: KeptFields): KeptEvent {
    const first = this.string(f.first);
    if (f.written !== undefined) {
      const shared = { ...f, involvedObject: this.ref(f.involvedObject), message: this.string(f.message), source: this.source(f.source), first, last: this.string(f.last) };
      return new WrittenEvent({ ...doc, namespace: this.string(doc.namespace) }, shared, this.string(f.written));
    }
    return new KeptEvent(this.string(doc.namespace), doc.name, doc.version, doc.sequence, this.ref(f.involvedObject), f.reason, this.string(f.message), f.type,
      this.source(f.source), first, f.last === f.first ? first : this.string(f.last));
  }

  /** `r`, or the last reference seen when equal to it. */
  ref(r: ObjectReference): ObjectReference {
    const last = this.lastRef;
    if (last && SAME_REF_FIELDS.every((f) => last[f] === r[f])) return last;
    return (this.lastRef = r.fieldPath === undefined ? r : { ...r, fieldPath: this.string(r.fieldPath) });
  }

  /** One source object per component and host (a kubelet's per node) while the table has room. */
  source(s: EventSource): EventSource {
    const key = s.host === undefined ? s.component : `${s.component}\u0000${s.host}`;
    const held = this.sources.get(key);
    if (held) return held;
    if (this.sources.size >= MAX_STRINGS) this.sources.clear();
    this.sources.set(key, s);
    return s;
  }

  /** One string per distinct value while the table has room. */
  string(s: string): string {
    return this.strings.get(s);
  }
}
