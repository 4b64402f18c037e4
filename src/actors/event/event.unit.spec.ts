import { describe, expect, it } from "vitest";
import { meta } from "../../../test/harness/deciderSpec.js";
import type { Command } from "../decider.js";
import { eventDecider } from "./index.js";

const manifest = { metadata: { name: "web-1" }, involvedObject: { kind: "Pod", name: "web", namespace: "default" }, reason: "Reconciled", message: "ok" };
const at = (time: string) => meta({ namespace: "default", name: "web-1", time, nowMs: Date.parse(time) });
const cmd = (type: string, time: string, data: unknown = manifest) => ({ type, data, meta: at(time) }) as unknown as Command<never, never>;
const recorded = (time: string) => ({ type: "EventRecorded", data: { object: (eventDecider.decide(cmd("CreateEvent", time) as never, null)[0]!.data as { object: unknown }).object }, time, version: 1, uid: "u", commandId: "c", sequence: 1 });

describe("the Event actor", () => {
  it("refuses a create of an Event written less than the TTL ago, records one anew after it, and records nothing for an update that changes nothing", () => {
    const state = eventDecider.evolve(null, recorded("2026-12-07T10:00:00Z") as never);
    expect(() => eventDecider.decide(cmd("CreateEvent", "2026-12-07T10:30:00Z") as never, state)).toThrow(/events "web-1" already exists/);
    const anew = eventDecider.decide(cmd("CreateEvent", "2026-12-07T11:00:01Z") as never, state);
    expect(anew).toMatchObject([{ type: "EventRecorded", data: { object: { metadata: { creationTimestamp: "2026-12-07T11:00:01Z" } } } }]);
    expect(eventDecider.decide(cmd("UpdateEvent", "2026-12-07T10:30:00Z") as never, state)).toEqual([]);
    // An update or a delete of an Event with no actor (a derived one) is taken.
    expect(eventDecider.decide(cmd("UpdateEvent", "2026-12-07T10:30:00Z") as never, null)).toMatchObject([{ type: "EventRecorded" }]);
    expect(eventDecider.decide(cmd("DeleteEvent", "2026-12-07T10:30:00Z", {}) as never, null)).toEqual([{ type: "EventDeleted", data: {} }]);
  });
});
