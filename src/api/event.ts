/**
 * Event (core v1): a record of something that happened to an object, as `kubectl get events` and the Events section
 * of `kubectl describe` show it. Coxswain never stores Events: the read model derives them from the event stream
 * (src/projections/kubeEvents), so this kind is read-only and a manifest is always refused.
 * v1beta1 renders the 2014 field names (`id`, `timestamp`, `source` as a string) and keeps the rest as in v1.
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec } from "./codec.js";
import { dropUndefined } from "./objectMeta.js";
import { StatusError } from "./status.js";

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
  type: z.enum(["Normal", "Warning"]),
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
  type: z.enum(["Normal", "Warning"]),
  reportingComponent: z.string(),
  reportingInstance: z.string(),
});

/** Conversion of Event objects (read-only: parseManifest always refuses). Pure. */
export const eventCodec: KindCodec<Event, never> & ExternalReader<Event> = {
  resource: "events",
  parseManifest() {
    throw new StatusError("MethodNotAllowed", "events are derived from the event stream and cannot be written", { kind: "events" });
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
