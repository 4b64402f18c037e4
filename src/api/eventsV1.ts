/**
 * events.k8s.io/v1 Event (what client-go's newer recorder, `k8s.io/client-go/tools/events`, writes): the conversion to
 * and from the core v1 Event, the kind's own version, field for field as Kubernetes converts them (`regarding` is
 * `involvedObject`, `note` is `message`, `reportingController` is `reportingComponent`, the legacy fields
 * `deprecated…`). Pure.
 */
import { dropUndefined } from "./objectMeta.js";

type Json = Record<string, unknown>;

/** An events.k8s.io/v1 Event as the core v1 Event it stands for. Pure. */
export function eventFromV1(o: Json): Json {
  return dropUndefined({
    apiVersion: "v1", kind: "Event", metadata: o.metadata, involvedObject: o.regarding ?? {}, related: o.related, reason: o.reason, message: o.note,
    type: o.type, action: o.action, eventTime: o.eventTime, series: o.series, reportingComponent: o.reportingController, reportingInstance: o.reportingInstance,
    source: o.deprecatedSource, firstTimestamp: o.deprecatedFirstTimestamp, lastTimestamp: o.deprecatedLastTimestamp, count: o.deprecatedCount,
  });
}

/** A core v1 Event as events.k8s.io/v1 shows it (an Event with no `eventTime` shows it null, as Kubernetes' legacy ones). Pure. */
export function eventToV1(o: Json): Json {
  return dropUndefined({
    apiVersion: "events.k8s.io/v1", kind: "Event", metadata: o.metadata, eventTime: o.eventTime ?? null, series: o.series, reportingController: o.reportingComponent,
    reportingInstance: o.reportingInstance, action: o.action, reason: o.reason, regarding: o.involvedObject, related: o.related, note: o.message, type: o.type,
    deprecatedSource: o.source, deprecatedFirstTimestamp: o.firstTimestamp, deprecatedLastTimestamp: o.lastTimestamp, deprecatedCount: o.count,
  });
}
