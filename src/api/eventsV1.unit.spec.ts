import { describe, expect, it } from "vitest";
import { eventFromV1, eventToV1 } from "./eventsV1.js";

describe("events.k8s.io/v1 Events", () => {
  it("convert to and from the core v1 Event field for field, as Kubernetes converts them", () => {
    const written = {
      apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "web.1870a2b3c4d5e6f7", namespace: "default" },
      eventTime: "2026-12-07T10:00:00.000000Z", reportingController: "example.com/my-operator", reportingInstance: "my-operator-1", action: "Reconcile",
      reason: "Reconciled", regarding: { kind: "Deployment", name: "web", namespace: "default" }, note: "all good", type: "Normal",
    };
    const core = eventFromV1(written);
    expect(core).toEqual({
      apiVersion: "v1", kind: "Event", metadata: written.metadata, eventTime: written.eventTime, reportingComponent: "example.com/my-operator",
      reportingInstance: "my-operator-1", action: "Reconcile", reason: "Reconciled", involvedObject: written.regarding, message: "all good", type: "Normal",
    });
    // What the read model serves of a legacy Event: no eventTime (null), the legacy fields as `deprecated…`.
    const served = eventToV1({
      apiVersion: "v1", kind: "Event", metadata: written.metadata, involvedObject: written.regarding, reason: "Reconciled", message: "all good", type: "Normal",
      source: { component: "my-operator" }, firstTimestamp: "2026-12-07T10:00:00Z", lastTimestamp: "2026-12-07T10:05:00Z", count: 2,
      reportingComponent: "my-operator", reportingInstance: "",
    });
    expect(served).toEqual({
      apiVersion: "events.k8s.io/v1", kind: "Event", metadata: written.metadata, eventTime: null, reportingController: "my-operator", reportingInstance: "",
      reason: "Reconciled", regarding: written.regarding, note: "all good", type: "Normal", deprecatedSource: { component: "my-operator" },
      deprecatedFirstTimestamp: "2026-12-07T10:00:00Z", deprecatedLastTimestamp: "2026-12-07T10:05:00Z", deprecatedCount: 2,
    });
    expect(eventToV1(eventFromV1(served))).toEqual(served);
  });
});
