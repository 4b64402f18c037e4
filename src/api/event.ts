/**
 * Event (core v1): a record of something that happened to an object, as `kubectl get events` and the Events section
 * of `kubectl describe` show it. Most Events are derived by the read model from the event stream
 * (src/projections/kubeEvents); a client may also write its own (client-go's event recorder: create, then patch the
 * count), which its actor records in the stream (src/actors/event) and the same projection folds in. A written Event
 * is checked as the apiserver checks a core v1 one.
 * v1beta1 renders the 2014 field names (`id`, `timestamp`, `source` as a string) and keeps the rest as in v1; it is
 * not written.
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec } from "./codec.js";
import { checkTarget, parseWith, type FieldIssue } from "./manifest.js";
import { ClientObjectMeta, dropUndefined, Timestamp } from "./objectMeta.js";
import { invalidFromIssues, StatusError } from "./status.js";

/** The object an Event is about (`fieldPath` names a part of it, such as `spec.containers{web}`). */
export const ObjectReference = z.strictObject({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  uid: z.string(),
  apiVersion: z.string(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});
export type ObjectReference = z.infer<typeof ObjectReference>;

/** Who reported an Event: a component (`kubelet`, `default-scheduler`) and, for node agents, the node. */
export const EventSource = z.strictObject({ component: z.string(), host: z.string().optional() });
export type EventSource = z.infer<typeof EventSource>;

/** An Event's metadata: its name is `<object>.<hex>`, a DNS subdomain rather than a label. */
export const EventMeta = z.strictObject({
  name: z.string().min(1),
  namespace: z.string(),
  uid: z.string(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string(),
});

/** The internal Event (the v1 shape without apiVersion). */
export const Event = z.strictObject({
  kind: z.literal("Event"),
  metadata: EventMeta,
  involvedObject: ObjectReference,
  reason: z.string(),
  message: z.string(),
  source: EventSource,
  firstTimestamp: z.string(),
  lastTimestamp: z.string(),
  count: z.number().int().positive(),
  /** Normal or Warning as the cluster reports them; a client may write another (the core API takes any). */
  type: z.string(),
  reportingComponent: z.string(),
  reportingInstance: z.string(),
});
export type Event = z.infer<typeof Event>;

const EventV1Object = Event.extend({ apiVersion: z.literal("v1") });
const EventV1beta1Object = z.strictObject({
  apiVersion: z.literal("v1beta1"),
  kind: z.literal("Event"),
  id: z.string().min(1),
  namespace: z.string(),
  uid: z.string(),
  creationTimestamp: z.string(),
  resourceVersion: z.number().int().nonnegative().optional(),
  involvedObject: ObjectReference,
  reason: z.string(),
  message: z.string(),
  source: z.string(),
  host: z.string().optional(),
  firstTimestamp: z.string(),
  timestamp: z.string(),
  count: z.number().int().positive(),
  type: z.string(),
  reportingComponent: z.string(),
  reportingInstance: z.string(),
});

/** 32-bit FNV-1a of `s` from `seed`, as 8 hex digits. Pure. */
function fnv(s: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * A stable uid for an Event (the same on every replay), shaped as a UUID: hashes of its namespace and name, and a
 * derived Event's own time suffix, which already makes it unique (a written one's name is unique in its namespace).
 * A cryptographic hash would cost more than the rest of the fold. Pure.
 */
export function eventUid(namespace: string, name: string): string {
  // A name a client chose may end in anything: its own hashes stand in for the time suffix.
  const suffix = name.slice(name.lastIndexOf(".") + 1);
  const tail = /^[0-9a-f]+$/.test(suffix) ? suffix.padStart(16, "0").slice(-16) : `${fnv(name, 0x85ebca6b)}${fnv(`${name}/${namespace}`, 0xc2b2ae35)}`;
  const h = `${fnv(`${namespace}/${name}`, 2166136261)}${fnv(name, 0x9e3779b9)}${tail}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** How long an Event is kept after it was last seen (Kubernetes' `--event-ttl`, 1 hour). */
export const EVENT_TTL_MS = 3_600_000;

/** A client's reference to an object (every part optional, as the apiserver takes it). */
const ManifestReference = z.strictObject({
  kind: z.string().optional(), namespace: z.string().optional(), name: z.string().optional(), uid: z.string().optional(),
  apiVersion: z.string().optional(), resourceVersion: z.string().optional(), fieldPath: z.string().optional(),
});
/** An RFC 3339 timestamp a client may send as null (Go's zero time). */
const Time = Timestamp.nullable().optional();

/** A v1 Event as a client writes it (client-go's recorder, a manifest). */
const EventV1Manifest = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("Event").optional(),
  metadata: ClientObjectMeta,
  involvedObject: ManifestReference,
  reason: z.string().optional(),
  message: z.string().optional(),
  source: z.strictObject({ component: z.string().optional(), host: z.string().optional() }).optional(),
  firstTimestamp: Time,
  lastTimestamp: Time,
  count: z.number().int("must be an integer").nonnegative("must be greater than or equal to 0").optional(),
  type: z.string().optional(),
  eventTime: Time,
  series: z.strictObject({ count: z.number().int().optional(), lastObservedTime: Time }).nullable().optional(),
  action: z.string().optional(),
  related: ManifestReference.nullable().optional(),
  reportingComponent: z.string().optional(),
  reportingInstance: z.string().optional(),
}).superRefine((e, ctx) => {
  // A new-style Event (with an eventTime) says who reported it and what was done.
  if (!e.eventTime) return;
  for (const field of ["reportingComponent", "reportingInstance", "action", "reason"] as const) {
    if (!e[field]) ctx.addIssue({ code: "custom", path: [field], message: "Required value" });
  }
  for (const [field, most] of [["reportingInstance", 128], ["action", 128], ["reason", 128], ["message", 1024]] as const) {
    if ((e[field]?.length ?? 0) > most) ctx.addIssue({ code: "custom", path: [field], message: `Invalid value: "": can have at most ${most} characters` });
  }
});

/** A legacy Event (no eventTime) about an object of another namespace than its own `ns` ("" or default for a cluster-scoped object): the apiserver's refusal. */
function namespaceIssues(e: { eventTime?: string | null | undefined; involvedObject: { namespace?: string | undefined } }, ns: string): FieldIssue[] {
  const theirs = e.involvedObject.namespace ?? "";
  if (e.eventTime || (theirs === "" ? ns === "default" : theirs === ns)) return [];
  return [{ path: ["involvedObject", "namespace"], message: `Invalid value: ${JSON.stringify(theirs)}: does not match event.namespace` }];
}

/** What a client writes of an Event (a v1 manifest without apiVersion and kind). */
export type EventManifest = Omit<z.infer<typeof EventV1Manifest>, "apiVersion" | "kind">;

/**
 * A written Event as the system keeps it, from its manifest: what it leaves out as Kubernetes' recorder fills it in
 * (the times `now`, a count of 1, the reporting component its source's), the manifest's extra fields dropped (an
 * `eventTime`, `series`, `action` or `related` is checked, not kept), its uid `eventUid`'s, as the read model renders
 * it. Pure.
 */
export function storedEvent(m: EventManifest, meta: { name: string; namespace: string; time: string }): Event {
  const o = m.involvedObject;
  const first = m.firstTimestamp ?? m.eventTime ?? meta.time;
  const source = dropUndefined({ component: m.source?.component || m.reportingComponent || "", host: m.source?.host }) as EventSource;
  const involvedObject = dropUndefined({
    kind: o.kind ?? "", namespace: o.namespace, name: o.name ?? "", uid: o.uid ?? "", apiVersion: o.apiVersion ?? "", resourceVersion: o.resourceVersion, fieldPath: o.fieldPath,
  }) as ObjectReference;
  return {
    kind: "Event", metadata: { name: meta.name, namespace: meta.namespace, uid: eventUid(meta.namespace, meta.name), creationTimestamp: meta.time },
    involvedObject, reason: m.reason ?? "", message: m.message ?? "", source, type: m.type ?? "Normal",
    firstTimestamp: first, lastTimestamp: m.series?.lastObservedTime ?? m.lastTimestamp ?? first, count: Math.max(1, m.series?.count ?? m.count ?? 1),
    reportingComponent: source.component, reportingInstance: m.reportingInstance || source.host || "",
  };
}

/** Conversion of Event objects; only v1 is written. Pure. */
export const eventCodec: KindCodec<Event, EventManifest> & ExternalReader<Event> = {
  resource: "events",
  parseManifest(apiVersion, body, target) {
    if (apiVersion === "v1beta1") throw new StatusError("BadRequest", "Events are not written in v1beta1", { kind: "events" });
    const { apiVersion: _v, kind: _k, ...m } = parseWith(EventV1Manifest, body, "Event", target.name);
    checkTarget(m.metadata, target, "Event", false);
    const issues = namespaceIssues(m, target.namespace);
    if (issues.length > 0) throw invalidFromIssues(issues, { kind: "Event", name: target.name }, "data");
    return m;
  },
  render(apiVersion, e) {
    if (apiVersion === "v1") return { apiVersion: "v1", ...e };
    const { kind: _kind, metadata: m, source, lastTimestamp, ...rest } = e;
    const rv = m.resourceVersion !== undefined && /^\d+$/.test(m.resourceVersion) ? Number(m.resourceVersion) : undefined;
    return dropUndefined({
      kind: "Event", apiVersion: "v1beta1", id: m.name, namespace: m.namespace, uid: m.uid, creationTimestamp: m.creationTimestamp,
      resourceVersion: rv, ...rest, source: source.component, host: source.host, timestamp: lastTimestamp,
    });
  },
  fromExternal(apiVersion, object) {
    if (apiVersion === "v1") {
      const { apiVersion: _v, ...e } = parseExternal(EventV1Object, object, "Event");
      return e;
    }
    const o = parseExternal(EventV1beta1Object, object, "Event");
    const metadata = dropUndefined({
      name: o.id, namespace: o.namespace, uid: o.uid, creationTimestamp: o.creationTimestamp,
      resourceVersion: o.resourceVersion === undefined ? undefined : String(o.resourceVersion),
    }) as Event["metadata"];
    return {
      kind: "Event", metadata, involvedObject: o.involvedObject, reason: o.reason, message: o.message,
      source: dropUndefined({ component: o.source, host: o.host }) as EventSource, firstTimestamp: o.firstTimestamp, lastTimestamp: o.timestamp,
      count: o.count, type: o.type, reportingComponent: o.reportingComponent, reportingInstance: o.reportingInstance,
    };
  },
};
