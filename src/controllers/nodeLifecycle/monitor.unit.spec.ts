import { describe, expect, it } from "vitest";
import { node } from "../../../test/harness/controllerObjects.js";
import { readyStatus } from "../../api/node.js";
import type { NodeLease } from "../../api/nodeLease.js";
import { isFresh, nextDeadline, observe, readyChange, shouldEvict, type NodeObservation } from "./monitor.js";

const opts = { gracePeriodMs: 40_000, evictionTimeoutMs: 300_000 };
const lease = (renewTime: string, leaseDurationMs?: number): NodeLease => ({ nodeName: "n", renewTime, ...(leaseDurationMs ? { leaseDurationMs } : {}) });

/** Samples the lease at each [time, renewTime | undefined] in turn. */
function run(samples: Array<[number, NodeLease | undefined]>): NodeObservation {
  let o: NodeObservation | undefined;
  for (const [now, l] of samples) o = observe(o, l, now, opts);
  return o!;
}

describe("heartbeat observation", () => {
  it("gives a node never seen to beat the grace period from the start", () => {
    expect(isFresh(run([[0, undefined]]), 39_999, opts)).toBe(true);
    expect(isFresh(run([[0, undefined], [40_000, undefined]]), 40_000, opts)).toBe(false);
  });

  it("counts a beat when the lease changes, on our clock, whatever its renewTime says", () => {
    const o = run([[0, lease("2020-01-01T00:00:00.000Z")], [30_000, lease("2020-01-01T00:00:00.000Z")], [35_000, lease("2020-01-01T00:00:01.000Z")]]);
    expect(o.observedAt).toBe(35_000);
    expect(isFresh(o, 74_999, opts)).toBe(true);
  });

  it("respects a lease duration longer than the grace period", () => {
    const o = run([[0, lease("t1", 60_000)]]);
    expect(isFresh(o, 59_999, opts)).toBe(true);
  });

  it("times NotReady from when we first saw it, and clears it on a beat", () => {
    const down = run([[0, lease("t1")], [40_000, lease("t1")], [100_000, lease("t1")]]);
    expect(down.notReadySince).toBe(40_000);
    expect(shouldEvict(down, 339_999, opts)).toBe(false);
    expect(shouldEvict(down, 340_000, opts)).toBe(true);
    const back = observe(down, lease("t2"), 200_000, opts);
    expect(back.notReadySince).toBeNull();
  });

  it("names the next deadline: the grace period's end while fresh, the eviction timeout once NotReady, none once evicting", () => {
    expect(nextDeadline(run([[0, lease("t1")], [35_000, lease("t2")]]), 35_000, opts)).toBe(75_000);
    expect(nextDeadline(run([[0, lease("t1", 60_000)]]), 0, opts)).toBe(60_000);
    const down = run([[0, lease("t1")], [41_000, lease("t1")]]);
    expect(nextDeadline(down, 41_000, opts)).toBe(341_000);
    expect(isFresh(down, 341_000, opts) || shouldEvict(down, 340_999, opts)).toBe(false);
    expect(nextDeadline(down, 341_000, opts)).toBeNull();
  });
});

describe("the Ready condition to set", () => {
  const fresh = run([[0, lease("t1")], [1, lease("t2")]]);
  const stale = run([[0, lease("t1")], [40_000, lease("t1")]]);

  it("is True for a beating node that is not Ready yet", () => {
    expect(readyChange(readyStatus(node("n", { ready: "Unknown" })), fresh, 1, opts)).toMatchObject({ status: "True" });
    expect(readyChange(readyStatus(node("n", { ready: null })), fresh, 1, opts)).toMatchObject({ status: "True" });
    expect(readyChange(readyStatus(node("n")), fresh, 1, opts)).toBeNull();
  });

  it("is nothing for a lease seen only once: a dead node's lease looks alive until it fails to move", () => {
    expect(readyChange(readyStatus(node("n", { ready: "Unknown" })), run([[0, lease("t1")]]), 1, opts)).toBeNull();
  });

  it("is Unknown for a Ready node that stopped beating, and nothing once it is not Ready", () => {
    expect(readyChange(readyStatus(node("n")), stale, 40_000, opts)).toEqual({ status: "Unknown", reason: "NodeStatusUnknown", message: "the node agent stopped posting heartbeats" });
    expect(readyChange(readyStatus(node("n", { ready: "Unknown" })), stale, 40_000, opts)).toBeNull();
    expect(readyChange(readyStatus(node("n", { ready: "False" })), stale, 40_000, opts)).toBeNull();
  });
});
