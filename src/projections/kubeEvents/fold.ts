/**
 * The Event projection: derives Event drafts from each applied stream event, names them, folds repeats into `count`
 * (the same source, object, type, reason and message: Kubernetes' EventCorrelator key), and bounds what it keeps,
 * on the stream's own clock: an Event not repeated for `ttlMs` (Kubernetes' 1 hour) expires, and a namespace keeps at
 * most `perNamespace` Events (the least recently seen go first). Deterministic: replaying the stream gives the same
 * Events, names and all. In memory only; its indexes are rebuilt from the documents after a checkpoint load.
 */
import type { Event } from "../../api/event.js";
import type { DerivedDelta, DerivedProjection, ObjectLookup, StreamFact } from "../derived.js";
import type { EntityDocument } from "../projection.js";
import { eventsOf } from "./derive.js";
import type { EventDraft } from "./facts.js";
import { EVENTS_KIND } from "./kind.js";

/** Bounds of the Event projection. */
export interface EventLimits {
  /** An Event whose lastTimestamp is older than this (stream time) is dropped; default 1 hour. */
  ttlMs?: number;
  /** Most Events kept per namespace; default 1000. */
  perNamespace?: number;
}

const DEFAULT_TTL_MS = 3_600_000;
const DEFAULT_PER_NAMESPACE = 1_000;

/** Kubernetes' aggregation key of an Event (EventCorrelator's getEventKey). Pure. */
export function aggregationKey(e: Pick<Event, "source" | "involvedObject" | "type" | "reason" | "message">): string {
  const o = e.involvedObject;
  return [e.source.component, e.source.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message].join("\u0000");
}

/** `<object>.<hex>`: the stream time in nanoseconds, made unique per stream event and draft. Pure. */
export function eventName(objectName: string, timeMs: number, sequence: number, index: number): string {
  const nanos = BigInt(timeMs) * 1_000_000n + BigInt((sequence % 10_000) * 100 + (index % 100));
  return `${objectName}.${nanos.toString(16)}`;
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
function eventUid(namespace: string, name: string): string {
  const h = `${fnv(`${namespace}/${name}`, 2166136261)}${fnv(name, 0x9e3779b9)}${name.slice(name.lastIndexOf(".") + 1).padStart(16, "0").slice(-16)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The Event projection; one per read model. */
export class KubeEventFold implements DerivedProjection {
  readonly kind = EVENTS_KIND;
  private readonly ttlMs: number;
  private readonly perNamespace: number;
  /** Aggregation key → document. */
  private readonly byKey = new Map<string, EntityDocument>();
  /** Per namespace, aggregation keys in the order they were last seen (oldest first). */
  private readonly recency = new Map<string, Map<string, number>>();
  private now = 0;
  private swept = 0;

  constructor(limits: EventLimits = {}) {
    this.ttlMs = limits.ttlMs ?? DEFAULT_TTL_MS;
    this.perNamespace = limits.perNamespace ?? DEFAULT_PER_NAMESPACE;
  }

  apply(fact: StreamFact, lookup: ObjectLookup): DerivedDelta {
    const time = fact.event.time;
    const ms = Date.parse(time);
    const delta: DerivedDelta = { upserts: [], removals: [] };
    if (Number.isFinite(ms) && ms > this.now) this.now = ms;
    eventsOf(fact, lookup).forEach((d, i) => {
      const doc = this.record(d, time, Number.isFinite(ms) ? ms : this.now, fact.sequence, i);
      delta.upserts.push(doc);
      this.trim(d.namespace, delta);
    });
    if (fact.resource === "namespaces" && fact.event.type === "NamespaceDeleted") this.dropNamespace(fact.name, delta);
    if (this.now - this.swept >= 1_000) this.expire(delta);
    return delta;
  }

  /** A deleted namespace takes its Events with it, as Kubernetes' namespace controller deletes them. */
  private dropNamespace(namespace: string, delta: DerivedDelta): void {
    for (const key of [...(this.recency.get(namespace)?.keys() ?? [])]) this.forget(namespace, key, delta);
  }

  load(documents: readonly EntityDocument[]): void {
    this.byKey.clear();
    this.recency.clear();
    const sorted = [...documents].sort((a, b) => lastMs(a) - lastMs(b) || a.sequence - b.sequence);
    for (const doc of sorted) this.remember(aggregationKey(doc.state as Event), doc);
    this.now = sorted.length > 0 ? lastMs(sorted[sorted.length - 1] as EntityDocument) : 0;
    this.swept = 0;
  }

  /** Folds one draft into a new Event or the repeat count of its twin; returns the document. */
  private record(d: EventDraft, time: string, ms: number, sequence: number, index: number): EntityDocument {
    const key = aggregationKey(d);
    const twin = this.byKey.get(key);
    let event: Event;
    if (twin) {
      const prev = twin.state as Event;
      event = { ...prev, count: prev.count + 1, lastTimestamp: time };
    } else {
      const name = eventName(d.involvedObject.name, ms, sequence, index);
      event = {
        kind: "Event", metadata: { name, namespace: d.namespace, uid: eventUid(d.namespace, name), creationTimestamp: time },
        involvedObject: d.involvedObject, reason: d.reason, message: d.message, source: d.source,
        firstTimestamp: time, lastTimestamp: time, count: 1, type: d.type,
        reportingComponent: d.source.component, reportingInstance: d.source.host ?? "",
      };
    }
    const doc: EntityDocument = { resource: "events", namespace: d.namespace, name: event.metadata.name, version: event.count, sequence, state: event };
    this.remember(key, doc);
    return doc;
  }

  private remember(key: string, doc: EntityDocument): void {
    this.byKey.set(key, doc);
    let keys = this.recency.get(doc.namespace);
    if (!keys) this.recency.set(doc.namespace, (keys = new Map()));
    keys.delete(key); // re-inserted last: the map stays ordered by last sighting
    keys.set(key, lastMs(doc));
  }

  /** Drops the least recently seen Events of a namespace over the cap. */
  private trim(namespace: string, delta: DerivedDelta): void {
    const keys = this.recency.get(namespace);
    while (keys && keys.size > this.perNamespace) {
      const oldest = keys.keys().next().value as string;
      this.forget(namespace, oldest, delta);
    }
  }

  /** Drops every Event last seen more than ttlMs before the stream's latest time. */
  private expire(delta: DerivedDelta): void {
    this.swept = this.now;
    const cutoff = this.now - this.ttlMs;
    for (const [namespace, keys] of [...this.recency]) {
      for (const [key, at] of keys) {
        if (at >= cutoff) break;
        this.forget(namespace, key, delta);
      }
    }
  }

  private forget(namespace: string, key: string, delta: DerivedDelta): void {
    const doc = this.byKey.get(key);
    this.byKey.delete(key);
    const keys = this.recency.get(namespace);
    keys?.delete(key);
    if (keys?.size === 0) this.recency.delete(namespace);
    if (!doc) return;
    delta.removals.push(doc);
    // A document upserted and removed by the same fact is reported removed only.
    const i = delta.upserts.indexOf(doc);
    if (i >= 0) delta.upserts.splice(i, 1);
  }
}

function lastMs(doc: EntityDocument): number {
  const t = Date.parse((doc.state as Event).lastTimestamp);
  return Number.isFinite(t) ? t : 0;
}
