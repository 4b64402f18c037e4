/**
 * The Event projection: derives Event drafts from each applied stream event, names them, folds repeats into `count`
 * (the same source, object, type, reason and message: Kubernetes' EventCorrelator key), and bounds what it keeps,
 * on the stream's own clock: an Event not repeated for `ttlMs` (Kubernetes' 1 hour) expires, and a namespace keeps at
 * most `perNamespace` Events (the least recently seen go first). Deterministic: replaying the stream gives the same
 * Events, names and all. It holds the Events itself, in their kept form (kept.ts: one small object each), and only
 * the two indexes it needs: the aggregation key's hash, and per namespace the Events by last sighting (which also
 * serves get and list, a namespace holding at most `perNamespace`). In memory only; rebuilt from a checkpoint's
 * documents on load. A long history keeps hundreds of thousands of Events: see bench/eventsCost.ts for their cost.
 */
import type { DerivedDelta, DerivedProjection, ObjectLookup, StreamFact } from "../derived.js";
import { EVENT_TTL_MS, type Event } from "../../api/event.js";
import type { EntityDocument } from "../projection.js";
import type { FieldRequirement } from "../selectors.js";
import { eventsOf } from "./derive.js";
import type { EventDraft } from "./facts.js";
import { EventSharing, KeptEvent, keptFieldsOf, type KeptFields } from "./kept.js";
import { EVENTS_KIND } from "./kind.js";

/** Bounds of the Event projection. */
export interface EventLimits {
  /** An Event whose lastTimestamp is older than this (stream time) is dropped; default 1 hour. */
  ttlMs?: number;
  /** Most Events kept per namespace; default 1000. */
  perNamespace?: number;
}


const DEFAULT_PER_NAMESPACE = 1_000;

/** The fields a list can test on the kept form before rendering (as fieldValue reads them: absent is ""). */
const KEPT_FIELDS: Readonly<Record<string, (k: KeptEvent) => string>> = {
  "metadata.name": (k) => k.name,
  "metadata.namespace": (k) => k.namespace,
  "involvedObject.kind": (k) => k.involvedObject.kind,
  "involvedObject.name": (k) => k.involvedObject.name,
  "involvedObject.namespace": (k) => k.involvedObject.namespace ?? "",
  "involvedObject.uid": (k) => k.involvedObject.uid,
  "involvedObject.fieldPath": (k) => k.involvedObject.fieldPath ?? "",
  reason: (k) => k.reason,
  type: (k) => k.type,
};

/** The fields of Kubernetes' aggregation key of an Event (EventCorrelator's getEventKey). */
type AggregationFields = Pick<KeptFields, "source" | "involvedObject" | "type" | "reason" | "message">;

/** Whether two Events have the same aggregation key, compared field by field (no key string is built). Pure. */
function sameKey(a: AggregationFields, b: AggregationFields): boolean {
  const o = a.involvedObject;
  const p = b.involvedObject;
  return a.reason === b.reason && a.message === b.message && o.uid === p.uid && o.name === p.name && o.fieldPath === p.fieldPath &&
    o.namespace === p.namespace && o.kind === p.kind && o.apiVersion === p.apiVersion && a.type === b.type &&
    a.source.component === b.source.component && a.source.host === b.source.host;
}

/** A 30-bit FNV-1a hash of the aggregation key's fields (a small integer: a Map keeps it unboxed). Pure. */
export function aggregationHash(e: AggregationFields): number {
  const o = e.involvedObject;
  let h = 2166136261;
  for (const s of [e.reason, e.message, o.uid, o.name, o.fieldPath ?? "", o.namespace ?? "", o.kind, e.source.component, e.source.host ?? "", e.type]) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    h = Math.imul(h ^ 0, 16777619);
  }
  return (h >>> 1) & 0x3fffffff;
}

/** `<object>.<hex>`: the stream time in nanoseconds, made unique per stream event and draft. Pure. */
export function eventName(objectName: string, timeMs: number, sequence: number, index: number): string {
  const nanos = BigInt(timeMs) * 1_000_000n + BigInt((sequence % 10_000) * 100 + (index % 100));
  return [objectName, nanos.toString(16)].join("."); // join makes one flat string; a template literal, a tree of three
}

/** The Event projection; one per read model. */
export class KubeEventFold implements DerivedProjection {
  readonly kind = EVENTS_KIND;
  private readonly ttlMs: number;
  private readonly perNamespace: number;
  /** Hash of the aggregation key → the document (or the few whose keys share a hash). */
  private readonly byKey = new Map<number, KeptEvent | KeptEvent[]>();
  /** Per namespace, the documents in the order they were last seen (oldest first). */
  private readonly recency = new Map<string, Set<KeptEvent>>();
  private readonly sharing = new EventSharing();
  /** Documents held in byKey beside another of the same hash. */
  private collided = 0;
  private now = 0;
  private swept = 0;

  constructor(limits: EventLimits = {}) {
    this.ttlMs = limits.ttlMs ?? EVENT_TTL_MS;
    this.perNamespace = limits.perNamespace ?? DEFAULT_PER_NAMESPACE;
  }

  apply(fact: StreamFact, lookup: ObjectLookup): DerivedDelta {
    const time = fact.event.time;
    const ms = Date.parse(time);
    const delta: DerivedDelta = { upserts: [], removals: [] };
    if (Number.isFinite(ms) && ms > this.now) this.now = ms;
    if (fact.resource === this.kind.decider.resource) this.written(fact, delta);
    else eventsOf(fact, lookup).forEach((d, i) => {
      delta.upserts.push(this.record(d, time, Number.isFinite(ms) ? ms : this.now, fact.sequence, i));
      this.trim(d.namespace, delta);
    });
    if (fact.resource === "namespaces" && fact.event.type === "NamespaceDeleted") this.dropNamespace(fact.name, delta);
    if (this.now - this.swept >= 1_000) this.expire(delta);
    return delta;
  }

  /**
   * An Event a client wrote (`EventRecorded`, the whole Event: its name, fields and count as written) replaces the
   * Event of its name, if any; `EventDeleted` removes it (a derived one too).
   */
  private written(fact: StreamFact, delta: DerivedDelta): void {
    const before = this.get(fact.namespace, fact.name);
    if (before) this.unindex(before);
    if (fact.event.type !== "EventRecorded") {
      if (before) delta.removals.push(before);
      return;
    }
    const e = (fact.event.data as { object: Event }).object;
    const doc = this.sharing.kept({ namespace: fact.namespace, name: fact.name, version: e.count, sequence: fact.sequence }, {
      involvedObject: e.involvedObject, reason: e.reason, message: e.message, type: e.type, source: e.source, first: e.firstTimestamp, last: e.lastTimestamp,
      written: fact.event.time,
    });
    this.remember(doc, null);
    delta.upserts.push({ before, after: doc });
    this.trim(fact.namespace, delta);
  }

  /** A deleted namespace takes its Events with it, as Kubernetes' namespace controller deletes them. */
  private dropNamespace(namespace: string, delta: DerivedDelta): void {
    for (const doc of [...(this.recency.get(namespace) ?? [])]) this.forget(doc, delta);
  }

  /** A document of a checkpoint in the kept form, its parts shared (an older checkpoint's full Events are reduced). */
  restore(doc: EntityDocument): KeptEvent {
    return doc instanceof KeptEvent ? doc : this.sharing.kept(doc, keptFieldsOf(doc.state));
  }

  get(namespace: string, name: string): KeptEvent | null {
    for (const doc of this.recency.get(namespace) ?? []) if (doc.name === name) return doc; // at most perNamespace
    return null;
  }

  /** Scans the namespace (or all), skipping the Events whose kept form fails an equality (no Event is rendered for it). */
  *list(namespace: string | null, fields: readonly FieldRequirement[] = []): Iterable<KeptEvent> {
    const checks = fields.flatMap((f) => {
      const read = f.op === "=" ? KEPT_FIELDS[f.path] : undefined;
      return read ? [{ read, value: f.value }] : [];
    });
    const from = namespace ?? fields.find((f) => f.op === "=" && f.path === "metadata.namespace")?.value ?? null;
    for (const docs of from !== null ? [this.recency.get(from) ?? new Set<KeptEvent>()] : this.recency.values()) {
      for (const doc of docs) if (checks.every((c) => c.read(doc) === c.value)) yield doc;
    }
  }

  get size(): number {
    return this.byKey.size + this.collided;
  }

  load(documents: readonly EntityDocument[]): void {
    this.byKey.clear();
    this.recency.clear();
    this.collided = 0;
    // Each namespace's Events in the order they were last seen, i.e. by the sequence of their last sighting (ties in
    // the order their stream event derived them): this projection's checkpoints list them so; an older one is sorted.
    const byNamespace = new Map<string, KeptEvent[]>();
    for (const d of documents) {
      const doc = this.restore(d);
      const docs = byNamespace.get(doc.namespace);
      if (docs) docs.push(doc);
      else byNamespace.set(doc.namespace, [doc]);
    }
    this.now = 0;
    for (const docs of byNamespace.values()) {
      if (docs.some((doc, i) => i > 0 && doc.sequence < (docs[i - 1] as KeptEvent).sequence)) docs.sort((a, b) => a.sequence - b.sequence);
      for (const doc of docs) {
        this.remember(doc, null);
        this.now = Math.max(this.now, lastMs(doc));
      }
    }
    this.swept = 0;
  }

  /** Folds one draft into a new Event or the repeat count of its twin; returns the document and the one it replaces. */
  private record(d: EventDraft, time: string, ms: number, sequence: number, index: number): DerivedDelta["upserts"][number] {
    const hash = aggregationHash(d);
    const twin = this.twinOf(hash, d);
    const doc = twin
      ? twin.repeated(sequence, this.sharing.string(time))
      : this.sharing.kept(
        { namespace: d.namespace, name: eventName(d.involvedObject.name, ms, sequence, index), version: 1, sequence },
        { involvedObject: d.involvedObject, reason: d.reason, message: d.message, type: d.type, source: d.source, first: time, last: time },
      );
    this.remember(doc, twin, hash);
    return { before: twin, after: doc };
  }

  /** The document with the same aggregation key as `d`, if any. */
  private twinOf(hash: number, d: EventDraft): KeptEvent | null {
    const held = this.byKey.get(hash);
    if (!held) return null;
    for (const doc of Array.isArray(held) ? held : [held]) if (sameKey(doc, d)) return doc;
    return null;
  }

  /** Indexes `doc` (replacing `twin`, the version it supersedes) and makes it its namespace's most recent. */
  private remember(doc: KeptEvent, twin: KeptEvent | null, hash = aggregationHash(doc)): void {
    if (twin) this.unindex(twin, hash);
    const held = this.byKey.get(hash);
    if (held !== undefined) this.collided++;
    this.byKey.set(hash, held === undefined ? doc : Array.isArray(held) ? [...held, doc] : [held, doc]);
    let docs = this.recency.get(doc.namespace);
    if (!docs) this.recency.set(doc.namespace, (docs = new Set()));
    docs.add(doc); // added last: the set stays ordered by last sighting
  }

  /** Takes `doc` out of both indexes. */
  private unindex(doc: KeptEvent, hash = aggregationHash(doc)): void {
    const held = this.byKey.get(hash);
    if (held === doc) this.byKey.delete(hash);
    else if (Array.isArray(held) && held.includes(doc)) {
      this.collided--;
      const rest = held.filter((d) => d !== doc);
      if (rest.length === 1) this.byKey.set(hash, rest[0] as KeptEvent);
      else this.byKey.set(hash, rest);
    }
    const docs = this.recency.get(doc.namespace);
    docs?.delete(doc);
    if (docs?.size === 0) this.recency.delete(doc.namespace);
  }

  /** Drops the least recently seen Events of a namespace over the cap. */
  private trim(namespace: string, delta: DerivedDelta): void {
    const docs = this.recency.get(namespace);
    while (docs && docs.size > this.perNamespace) this.forget(docs.values().next().value as KeptEvent, delta);
  }

  /** Drops every Event last seen more than ttlMs before the stream's latest time. */
  private expire(delta: DerivedDelta): void {
    this.swept = this.now;
    const cutoff = this.now - this.ttlMs;
    for (const docs of [...this.recency.values()]) {
      for (const doc of docs) { // deleting the entry being visited is safe in a Set's iteration
        if (lastMs(doc) >= cutoff) break;
        this.forget(doc, delta);
      }
    }
  }

  private forget(doc: KeptEvent, delta: DerivedDelta): void {
    this.unindex(doc);
    // A document upserted and removed by the same fact is reported removed only (as what it replaced, if anything).
    const i = delta.upserts.findIndex((u) => u.after === doc);
    if (i < 0) delta.removals.push(doc);
    else {
      const [{ before }] = delta.upserts.splice(i, 1) as [DerivedDelta["upserts"][number]];
      if (before) delta.removals.push(before);
    }
  }
}

function lastMs(doc: KeptEvent): number {
  const t = Date.parse(doc.seen);
  return Number.isFinite(t) ? t : 0;
}
