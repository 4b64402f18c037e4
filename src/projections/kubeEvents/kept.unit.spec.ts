/**
 * The kept form of Events (kept.ts): rendered, it is byte for byte the Event the fold built before it existed; it
 * survives a checkpoint's JSON; a checkpoint of full Events (older) loads into the same Events; Events whose
 * aggregation keys share a hash stay apart.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Event, EventSource, ObjectReference } from "../../api/event.js";
import { ACTOR_KINDS } from "../../actors/registry.js";
import { ReadModel } from "../readModel.js";
import { parseSelector } from "../selectors.js";
import type { EntityDocument } from "../projection.js";
import { EventLogBuilder } from "../../../test/harness/testEvents.js";
import { aggregationHash, eventName, KubeEventFold } from "./fold.js";
import { EventSharing, eventUid, KeptEvent, renderKept } from "./kept.js";

const word = fc.stringMatching(/^[a-z0-9][-a-z0-9.]{0,20}$/);
const ref: fc.Arbitrary<ObjectReference> = fc.record(
  { kind: fc.constantFrom("Pod", "Node", "ReplicationController"), namespace: word, name: word, uid: word, apiVersion: fc.constant("v1"), resourceVersion: fc.nat().map(String), fieldPath: word.map((c) => `spec.containers{${c}}`) },
  { requiredKeys: ["kind", "name", "uid", "apiVersion"] },
);
const source: fc.Arbitrary<EventSource> = fc.record({ component: fc.constantFrom("kubelet", "default-scheduler"), host: word }, { requiredKeys: ["component"] });
const time = fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2027-01-01T00:00:00Z") }).map((ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"));
const draft = fc.record({
  namespace: word, involvedObject: ref, reason: word, message: fc.string(), type: fc.constantFrom("Normal" as const, "Warning" as const), source,
  first: time, last: time, count: fc.integer({ min: 1, max: 1000 }), sequence: fc.integer({ min: 1, max: 2 ** 40 }),
});

type Draft = typeof draft extends fc.Arbitrary<infer T> ? T : never;

/** The Event as the fold built it before the kept form (src/projections/kubeEvents/fold.ts at 8466d95). */
function eventBefore(d: Draft, name: string): Event {
  return {
    kind: "Event", metadata: { name, namespace: d.namespace, uid: eventUid(d.namespace, name), creationTimestamp: d.first },
    involvedObject: d.involvedObject, reason: d.reason, message: d.message, source: d.source,
    firstTimestamp: d.first, lastTimestamp: d.last, count: d.count, type: d.type,
    reportingComponent: d.source.component, reportingInstance: d.source.host ?? "",
  };
}

function keptOf(sharing: EventSharing, d: Draft): KeptEvent {
  const name = eventName(d.involvedObject.name, Date.parse(d.first), d.sequence, 0);
  return sharing.kept({ namespace: d.namespace, name, version: d.count, sequence: d.sequence }, d);
}

describe("the kept form of an Event", () => {
  it("renders byte for byte the Event the fold built before", () => {
    const sharing = new EventSharing();
    fc.assert(fc.property(draft, (d) => {
      const kept = keptOf(sharing, d);
      expect(JSON.stringify(renderKept(kept))).toBe(JSON.stringify(eventBefore(d, kept.name)));
    }));
  });

  it("comes back equal from a checkpoint's JSON, and so does an older checkpoint's full Event", () => {
    const sharing = new EventSharing();
    const fold = new KubeEventFold();
    fc.assert(fc.property(draft, (d) => {
      const kept = keptOf(sharing, d);
      const json = JSON.parse(JSON.stringify(kept)) as EntityDocument;
      expect(Array.isArray(json.state)).toBe(true);
      const rendered = JSON.stringify(renderKept(kept));
      expect(JSON.stringify(renderKept(fold.restore(json)))).toBe(rendered);
      const older = { ...json, state: eventBefore(d, kept.name) };
      expect(JSON.stringify(renderKept(fold.restore(older)))).toBe(rendered);
    }));
  });

  it("renders the Event a scheduled pod derived before the kept form, uid and all", () => {
    const b = new EventLogBuilder(ACTOR_KINDS);
    b.send("pods", "default", "web", "CreatePod", { metadata: { name: "web", namespace: "default" }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } });
    b.send("pods", "default", "web", "BindPod", { nodeName: "node-2" });
    const model = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold()]);
    for (const e of b.events) model.apply(e);
    // Printed by the fold of 8466d95 for the same log.
    expect(model.list("events", null, parseSelector()).map((d) => JSON.stringify(d.object))).toEqual([
      '{"kind":"Event","metadata":{"name":"web.18eb7b42810634c8","namespace":"default","uid":"2ed14f67-1bc7-b9cd-18eb-7b42810634c8","creationTimestamp":"2026-11-26T03:40:02Z","resourceVersion":"2"},"involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"uid-pods.default.web","apiVersion":"v1","resourceVersion":"2"},"reason":"Scheduled","message":"Successfully assigned default/web to node-2","source":{"component":"default-scheduler"},"firstTimestamp":"2026-11-26T03:40:02Z","lastTimestamp":"2026-11-26T03:40:02Z","count":1,"type":"Normal","reportingComponent":"default-scheduler","reportingInstance":""}',
    ]);
  });
});

describe("a checkpoint of Events", () => {
  it("of full Events in any order (as older checkpoints hold them) resumes into the same Events, trimmed alike", () => {
    const b = new EventLogBuilder(ACTOR_KINDS);
    for (const n of ["a", "b", "c", "d", "e"]) {
      b.send("pods", "default", n, "CreatePod", { metadata: { name: n, namespace: "default" }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } });
      b.send("pods", "default", n, "BindPod", { nodeName: "node-2" });
      if (n === "b") b.send("pods", "default", "a", "ReportProbeFailure", { container: "web", probe: "liveness", message: "x" });
    }
    const limits = { perNamespace: 4 };
    const full = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold(limits)]);
    for (const e of b.events) full.apply(e);
    const cut = 6;
    const half = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold(limits)]);
    for (const e of b.events.slice(0, cut)) half.apply(e);
    const older = [...half.documents()].reverse().map((d) => (d instanceof KeptEvent ? { ...(JSON.parse(JSON.stringify(d)) as EntityDocument), state: renderKept(d) } : d));
    const resumed = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold(limits)]);
    resumed.load(half.sequence, JSON.parse(JSON.stringify(older)) as EntityDocument[]);
    for (const e of b.events.slice(cut)) resumed.apply(e);
    const all = (m: ReadModel) => m.list("events", null, parseSelector()).map((d) => JSON.stringify(d.object));
    expect(all(resumed)).toEqual(all(full));
    expect(all(full)).toHaveLength(4);
  });
});

describe("the Event fold's keys", () => {
  it("keeps apart, and counts apart, Events whose aggregation keys share a hash", () => {
    // Two messages whose keys collide in the fold's 30-bit hash, found by search (a birthday bound of ~2^15 tries).
    const base = { involvedObject: { kind: "Pod", namespace: "default", name: "web", uid: "uid-pods.default.web", apiVersion: "v1", fieldPath: "spec.containers{web}" }, source: { component: "kubelet", host: "node-2" }, type: "Warning" as const, reason: "Unhealthy" };
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; !pair; i++) {
      const message = `Liveness probe failed: ${i}`;
      const h = aggregationHash({ ...base, message });
      const other = seen.get(h);
      if (other !== undefined) pair = [other, message];
      seen.set(h, message);
    }
    const b = new EventLogBuilder(ACTOR_KINDS);
    b.send("pods", "default", "web", "CreatePod", { metadata: { name: "web", namespace: "default" }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } });
    b.send("pods", "default", "web", "BindPod", { nodeName: "node-2" });
    b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
    for (const message of [pair[0], pair[1], pair[0], pair[0], pair[1]]) {
      b.send("pods", "default", "web", "ReportProbeFailure", { container: "web", probe: "liveness", message: message.replace("Liveness probe failed: ", "") });
    }
    const model = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold()]);
    for (const e of b.events) model.apply(e);
    const unhealthy = model.list("events", null, parseSelector(undefined, "reason=Unhealthy", { reason: "reason" })).map((d) => d.object as Event);
    expect(Object.fromEntries(unhealthy.map((e) => [e.message, e.count]))).toEqual({ [pair[0]]: 3, [pair[1]]: 2 });
  });
});
