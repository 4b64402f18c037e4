import { describe, expect, it } from "vitest";
import { LeaderElector, type LeaderElectionRecord, type ResourceLock } from "./elector.js";

/** One lease in memory with the API's optimistic concurrency: an update based on an older version loses. */
class Store {
  record: LeaderElectionRecord | null = null;
  version = 0;
  lock(): ResourceLock & { seen: number } {
    const store = this;
    return {
      seen: -1,
      describe: () => "default/my-lease",
      async get() { this.seen = store.version; return store.record && { ...store.record }; },
      async create(r) {
        if (store.record) throw new Error('leases.coordination.k8s.io "my-lease" already exists');
        store.record = { ...r }; store.version += 1; this.seen = store.version;
      },
      async update(r) {
        if (this.seen !== store.version) throw new Error("Operation cannot be fulfilled: the object has been modified");
        store.record = { ...r }; store.version += 1; this.seen = store.version;
      },
    };
  }
}

function candidate(store: Store, identity: string, clock: { t: number }, lines: string[] = []) {
  return new LeaderElector({
    lock: store.lock(), identity, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 5, releaseOnCancel: true,
    log: (l) => lines.push(`${identity}: ${l}`), now: () => clock.t, wallTime: () => new Date(Date.UTC(2026, 0, 1) + clock.t),
    callbacks: { onStartedLeading: () => lines.push(`${identity}: leading`), onStoppedLeading: () => lines.push(`${identity}: stopped`), onNewLeader: (id) => lines.push(`${identity}: sees ${id}`) },
  });
}

describe("LeaderElector (client-go's algorithm) on a lease with optimistic concurrency", () => {
  it("the first creates the lease; a second waits out a whole lease duration on its own clock, then takes over", async () => {
    const store = new Store();
    const ca = { t: 0 }, cb = { t: 0 };
    const a = candidate(store, "a", ca), b = candidate(store, "b", cb);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(store.record).toMatchObject({ holderIdentity: "a", leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(await b.tryAcquireOrRenew()).toBe(false);
    cb.t = 14_999;
    expect(await b.tryAcquireOrRenew()).toBe(false);
    cb.t = 15_001;
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(store.record).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    // a, still believing it leads, renews on its fast path with a stale version: refused, then sees b's valid lease.
    ca.t = 10_000;
    expect(await a.tryAcquireOrRenew()).toBe(false);
    expect(a.isLeader()).toBe(false);
  });

  it("a renewal by the holder restarts the others' observation, so they never take a lease that is kept alive", async () => {
    const store = new Store();
    const ca = { t: 0 }, cb = { t: 0 };
    const a = candidate(store, "a", ca), b = candidate(store, "b", cb);
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    for (const t of [10_000, 20_000, 30_000]) {
      ca.t = t; cb.t = t;
      expect(await a.tryAcquireOrRenew()).toBe(true);
      expect(await b.tryAcquireOrRenew()).toBe(false);
    }
    expect(store.record).toMatchObject({ holderIdentity: "a", leaseTransitions: 0 });
  });

  it("two candidates racing from the same read of an expired lease: exactly one wins", async () => {
    const store = new Store();
    await candidate(store, "old", { t: 0 }).tryAcquireOrRenew();
    const clock = { t: 0 };
    const c = candidate(store, "c", clock), d = candidate(store, "d", clock);
    expect(await c.tryAcquireOrRenew()).toBe(false);
    expect(await d.tryAcquireOrRenew()).toBe(false);
    clock.t = 20_000;
    const results = await Promise.all([c.tryAcquireOrRenew(), d.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(store.record?.leaseTransitions).toBe(1);
  });

  it("run: leads, and on cancel releases the lease so a waiting candidate takes it at its next try", async () => {
    const store = new Store();
    const lines: string[] = [];
    const clock = { t: 0 };
    const a = candidate(store, "a", clock, lines), b = candidate(store, "b", clock, lines);
    const stopA = new AbortController(), stopB = new AbortController();
    const runA = a.run(stopA.signal);
    await until(() => lines.includes("a: leading"));
    const runB = b.run(stopB.signal);
    await until(() => lines.includes("b: sees a"));
    stopA.abort();
    await runA;
    expect(store.record).toMatchObject({ holderIdentity: expect.any(String) });
    await until(() => lines.includes("b: leading"));
    expect(lines).toContain("a: successfully acquired lease default/my-lease");
    expect(lines).toContain("b: attempting to acquire leader lease default/my-lease...");
    expect(store.record).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    stopB.abort();
    await runB;
    expect(store.record?.holderIdentity).toBe("");
    expect(lines.filter((l) => l.endsWith("stopped"))).toEqual(["a: stopped", "b: stopped"]);
  });
});

async function until(cond: () => boolean, deadlineMs = 5_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached before the deadline");
    await new Promise((r) => setTimeout(r, 5));
  }
}
