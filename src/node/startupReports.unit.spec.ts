/** What a node reports when a container's startup probe succeeds: `started`, with the readiness it knows. */
import { describe, expect, it } from "vitest";
import { boundPod } from "../../test/harness/podFixtures.js";
import { recordReports } from "./reconcile.js";
import { recordReadiness, recordStartup, type ContainerRecord } from "./runtime.js";

const pod = boundPod("web", "n1", [{ command: ["sh"] }]);
const record = (): ContainerRecord => ({ podUid: pod.metadata.uid, namespace: "default", podName: "web", container: "c0", attempt: 0, phase: "running", graceMs: 0, hooks: [], startedAt: "2026-12-07T00:00:00Z" });
const readiness = (r: ContainerRecord) => recordReports(pod, r).filter((x) => x.command.type === "ReportReadiness").map((x) => x.command.data);

describe("a startup probe's success, as reported", () => {
  it("is reported at once with the readiness the actor believes (a fresh container: not ready)", () => {
    const r = record();
    expect(recordStartup(r, "s", false)).toBe(true);
    expect(readiness(r)).toEqual([{ container: "c0", ready: false, started: true }]);
    recordReadiness(r, "s", true); // later changes keep saying it
    expect(readiness(r)).toEqual([{ container: "c0", ready: true, started: true }]);
  });

  it("waits for the first readiness of an adopted container, so that a Ready one is never reported not ready", () => {
    const r = record();
    expect(recordStartup(r, "s", undefined)).toBe(false);
    expect(readiness(r)).toEqual([]);
    recordReadiness(r, "s", true);
    expect(readiness(r)).toEqual([{ container: "c0", ready: true, started: true }]);
  });
});
