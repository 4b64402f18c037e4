import { describe, expect, it } from "vitest";
import { intendedAtMs, LatencyHistogram, runOpenLoop, type Clock } from "../../bench/openLoop.js";

/** A clock that only moves when the loop sleeps; `stallAt` makes one sleep end `stallMs` late (a blocked event loop). */
function fakeClock(stallAt = Infinity, stallMs = 0): Clock & { sleeps: number } {
  let t = 0;
  const c = {
    sleeps: 0,
    now: () => t,
    sleep: async (ms: number) => {
      await null; // replies already in hand are taken before time moves on, as with a real timer
      t += ms + (c.sleeps++ === stallAt ? stallMs : 0);
    },
  };
  return c;
}

describe("open-loop schedule", () => {
  it("spaces intended send times evenly at the rate", () => {
    expect([0, 1, 2, 10].map((i) => intendedAtMs(i, 200))).toEqual([0, 5, 10, 50]);
  });

  it("offers rate × duration requests and records each reply", async () => {
    const r = await runOpenLoop({ rate: 100, maxMs: 2_000, send: async () => true, clock: fakeClock() });
    expect(r.sent).toBe(200);
    expect(r.latency.samples).toBe(200);
    expect(r.failures).toBe(0);
    expect(r.latency.maxMs).toBe(0);
    expect(r.sendLate.maxMs).toBe(0);
  });

  it("counts the time a stalled sender was late as latency (no coordinated omission)", async () => {
    // At 100/s, the sender stalls for 1 s before request 10: requests 10..109 were due during the stall and leave
    // together at 1.1 s; from their intended times they waited 1,000, 990, … 10 ms.
    const r = await runOpenLoop({ rate: 100, maxMs: 2_000, send: async () => true, clock: fakeClock(9, 1_000) });
    expect(r.sent).toBe(200);
    expect(r.latency.maxMs).toBeCloseTo(1_000, 0);
    expect(r.latency.p90ms).toBeGreaterThanOrEqual(790);
    expect(r.latency.p99ms).toBeGreaterThanOrEqual(970);
    expect(r.latency.p50ms).toBeLessThanOrEqual(10);
    expect(r.sendLate.maxMs).toBeCloseTo(1_000, 0);
  });

  it("stops when told, and counts refused and unanswered requests as failures with their latency", async () => {
    let n = 0;
    const r = await runOpenLoop({
      rate: 1_000, maxMs: 60_000, stop: () => n >= 50, clock: fakeClock(),
      send: async (i) => { n++; if (i % 10 === 0) throw new Error("timeout"); return i % 10 !== 1; },
    });
    expect(r.sent).toBe(50);
    expect(r.failures).toBe(10);
    expect(r.unanswered).toBe(5);
    expect(r.latency.samples).toBe(50);
  });
});

describe("LatencyHistogram", () => {
  it("gives percentiles within HDR's 0.1 % of the exact values", () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i++) h.record(i / 100);
    const s = h.summary();
    for (const [got, exact] of [[s.p50ms, 50], [s.p90ms, 90], [s.p99ms, 99], [s.p999ms, 99.9], [s.maxMs, 100]] as const) {
      expect(Math.abs(got - exact) / exact).toBeLessThan(0.0015);
    }
  });

  it("summarises nothing as NaN", () => {
    expect(new LatencyHistogram().summary().p99ms).toBeNaN();
  });
});
