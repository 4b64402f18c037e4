import { describe, expect, it } from "vitest";
import type { StoredEvent } from "./envelope.js";
import { checkEvents, describeReport, isClean } from "./streamCheck.js";

let seq = 0;
function ev(subject: string, version: number, commandId: string): StoredEvent {
  return {
    sequence: ++seq, subject,
    event: { type: "PodUpdated", kind: "Pod", namespace: "default", name: subject, uid: "u", version, time: "2026-12-02T00:00:00Z", commandId, schemaVersion: 1, data: {} },
  } as StoredEvent;
}

describe("checkEvents", () => {
  it("passes a stream whose entities run 1..n and whose commands each made one run of events", () => {
    const r = checkEvents([ev("a", 1, "c1"), ev("b", 1, "c2"), ev("a", 2, "c3"), ev("a", 3, "c3"), ev("b", 2, "c4")], [{ subject: "a", commandId: "c3" }]);
    expect(isClean(r)).toBe(true);
    expect(describeReport(r)).toBe("5 events on 2 entities: 0 gaps, 0 commands applied twice, 0 acknowledged commands lost; 0 superseded appends (skipped by readers, redone)");
  });

  it("reports a gap, a command applied twice and a lost acknowledged command; a superseded version is skipped, not folded", () => {
    const r = checkEvents([
      ev("a", 1, "c1"), ev("a", 3, "c2"), ev("a", 3, "c3"), ev("b", 1, "c4"), ev("b", 2, "c5"), ev("b", 3, "c4"), ev("c", 1, "c6"), ev("c", 1, "c7"),
    ], [{ subject: "b", commandId: "gone" }, { subject: "c", commandId: "c7" }]);
    expect(r.gaps.map((g) => [g.subject, g.expected, g.got])).toEqual([["a", 2, 3]]);
    expect(r.superseded.map((d) => [d.subject, d.version])).toEqual([["a", 3], ["c", 1]]);
    expect(r.repeatedCommands).toEqual([{ subject: "b", commandId: "c4", versions: [1, 3] }]);
    expect(r.lost).toEqual([{ subject: "b", commandId: "gone" }, { subject: "c", commandId: "c7" }]);
    expect(isClean(r)).toBe(false);
  });
});
