import { describe, expect, it } from "vitest";
import { decideLease, leaseOptions, type LeaseDecisionInput, type LeaseRecord, type ObservedLease } from "./lease.js";

const options = leaseOptions({ leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 100 });
const self = "controllers/host-a/1";
const other = "controllers/host-b/2";
const wallTime = "2026-01-01T00:00:00.000Z";

function record(holderIdentity: string, leaseTransitions: number): LeaseRecord {
  return { holderIdentity, leaseDurationMs: 600, acquireTime: "x", renewTime: "x", leaseTransitions };
}

function seen(rec: LeaseRecord | null, observedAt: number, lastTerm = rec?.leaseTransitions ?? 0): ObservedLease {
  return { record: rec, lastTerm, revision: 7, observedAt };
}

function decide(over: Partial<LeaseDecisionInput>) {
  return decideLease({ now: 10_000, wallTime, observed: null, self, options, leading: null, ...over });
}

describe("decideLease", () => {
  it("acquires an absent lease with term 1", () => {
    const d = decide({ observed: null });
    expect(d.action).toBe("acquire");
    expect(d.action === "acquire" && d.record).toEqual({
      holderIdentity: self, leaseDurationMs: 600, acquireTime: wallTime, renewTime: wallTime, leaseTransitions: 1,
    });
  });

  it("acquires a released lease with the released term + 1", () => {
    const d = decide({ observed: seen(null, 9_990, 5) });
    expect(d.action === "acquire" && d.record.leaseTransitions).toBe(6);
  });

  it("waits while another holder was seen renewing within a lease duration, until the expiry", () => {
    const d = decide({ now: 10_000, observed: seen(record(other, 3), 9_550) });
    expect(d).toEqual({ action: "wait", waitMs: 100 });
    const late = decide({ now: 10_000, observed: seen(record(other, 3), 9_450) });
    expect(late).toEqual({ action: "wait", waitMs: 50 });
  });

  it("takes over with term + 1 after a whole duration without change on the local clock", () => {
    const d = decide({ now: 10_000, observed: seen(record(other, 3), 9_400) });
    expect(d.action).toBe("acquire");
    expect(d.action === "acquire" && d.record.leaseTransitions).toBe(4);
    expect(d.action === "acquire" && d.record.holderIdentity).toBe(self);
  });

  it("judges expiry by the local observation time, never by the holder's wall-clock renewTime", () => {
    const stale = { ...record(other, 3), renewTime: "1970-01-01T00:00:00.000Z" };
    expect(decide({ now: 10_000, observed: seen(stale, 9_900) }).action).toBe("wait");
  });

  it("uses the holder's advertised lease duration", () => {
    const long = { ...record(other, 3), leaseDurationMs: 5_000 };
    expect(decide({ now: 10_000, observed: seen(long, 9_000) }).action).toBe("wait");
  });

  it("re-acquires its own unrenewed lease with a new term after losing it", () => {
    const d = decide({ observed: seen(record(self, 4), 9_999) });
    expect(d.action === "acquire" && d.record.leaseTransitions).toBe(5);
  });

  it("renews every retry period while leading, and waits in between", () => {
    const observed = seen(record(self, 4), 9_000);
    expect(decide({ now: 10_000, observed, leading: { term: 4, renewedAt: 9_950 } })).toEqual({ action: "wait", waitMs: 50 });
    const d = decide({ now: 10_000, observed, leading: { term: 4, renewedAt: 9_880 } });
    expect(d.action).toBe("renew");
    expect(d.action === "renew" && d.record).toEqual({ ...record(self, 4), renewTime: wallTime });
  });

  it("retries a failing renewal no later than the lease's expiry", () => {
    const d = decide({ now: 10_000, observed: seen(record(self, 4), 9_000), leading: { term: 4, renewedAt: 9_450 } });
    expect(d).toMatchObject({ action: "renew", waitMs: 50 });
  });

  it("past the renew deadline still renews (the same term); once a whole lease duration has passed, a last late renewal", () => {
    const observed = seen(record(self, 4), 9_000);
    const late = decide({ now: 10_000, observed, leading: { term: 4, renewedAt: 9_600 } });
    expect(late.action === "renew" && late.record.leaseTransitions).toBe(4);
    expect(decide({ now: 10_000, observed, leading: { term: 4, renewedAt: 9_401 } })).toMatchObject({ action: "renew", waitMs: 1 });
    const last = decide({ now: 10_000, observed, leading: { term: 4, renewedAt: 9_400 } });
    expect(last).toMatchObject({ action: "renewLate", waitMs: 0, record: { holderIdentity: self, leaseTransitions: 4 } });
  });

  it("steps down when another holder or a newer term is observed, or the lease was released", () => {
    const leading = { term: 4, renewedAt: 9_990 };
    expect(decide({ observed: seen(record(other, 5), 9_999), leading }).action).toBe("stepDown");
    expect(decide({ observed: seen(record(self, 5), 9_999), leading }).action).toBe("stepDown");
    expect(decide({ observed: seen(null, 9_999, 4), leading }).action).toBe("stepDown");
  });
});

describe("leaseOptions", () => {
  it("defaults replace a crashed leader within about 5 s", () => {
    const o = leaseOptions();
    expect(o.leaseDurationMs + o.retryPeriodMs).toBeLessThanOrEqual(5_000);
  });

  it.each([
    [{ leaseDurationMs: 400, renewDeadlineMs: 400, retryPeriodMs: 100 }, /leaseDurationMs \(400\) must be greater than renewDeadlineMs \(400\)/],
    [{ leaseDurationMs: 600, renewDeadlineMs: 100, retryPeriodMs: 100 }, /renewDeadlineMs \(100\) must be greater than retryPeriodMs/],
    [{ leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 0 }, /retryPeriodMs \(0\) must be greater than 0/],
    [{ leaseDurationMs: Number.NaN }, /leaseDurationMs must be a finite number/],
  ])("rejects %j", (partial, message) => {
    expect(() => leaseOptions(partial)).toThrow(message);
  });
});
