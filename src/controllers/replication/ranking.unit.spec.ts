import { describe, expect, it } from "vitest";
import { pod } from "../../../test/harness/controllerObjects.js";
import { compareForDeletion, deletionVictims } from "./ranking.js";

const entry = (p: ReturnType<typeof pod>) => ({ object: p });

describe("deletion ranking", () => {
  it("deletes an unscheduled pod before a scheduled one", () => {
    expect(compareForDeletion(pod("a"), pod("b", { nodeName: "n1", phase: "Pending" }))).toBeLessThan(0);
  });

  it("deletes pending before unknown before running", () => {
    const pending = pod("p", { nodeName: "n", phase: "Pending" });
    const unknown = pod("u", { nodeName: "n", phase: "Unknown" });
    const running = pod("r", { nodeName: "n", phase: "Running" });
    expect(deletionVictims([running, unknown, pending].map(entry), 3).map((e) => e.object.metadata.name)).toEqual(["p", "u", "r"]);
  });

  it("deletes not-ready before ready, then more restarts first, then newest first", () => {
    const ready = pod("ready", { nodeName: "n", ready: true });
    const restarty = pod("restarty", { nodeName: "n", restarts: 5 });
    const old = pod("old", { nodeName: "n", created: "2026-01-01T00:00:00Z" });
    const young = pod("young", { nodeName: "n", created: "2026-01-02T00:00:00Z" });
    expect(deletionVictims([ready, old, young, restarty].map(entry), 4).map((e) => e.object.metadata.name)).toEqual(["restarty", "young", "old", "ready"]);
  });

  it("takes only as many as asked, without reordering its input", () => {
    const input = [pod("b", { nodeName: "n" }), pod("a")].map(entry);
    expect(deletionVictims(input, 1).map((e) => e.object.metadata.name)).toEqual(["a"]);
    expect(input.map((e) => e.object.metadata.name)).toEqual(["b", "a"]);
    expect(deletionVictims(input, -1)).toEqual([]);
  });
});
