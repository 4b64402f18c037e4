/**
 * A leader whose lease renewal is lost with a restarting nats-server (sent while the server was away) sends it again
 * at the reconnect and keeps its term, instead of waiting the renewal out until its renew deadline and stepping down.
 */
import { afterEach, describe, expect, it } from "vitest";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { elect, openLeaseBucket, type LeadershipEvent } from "./index.js";
import { readLease } from "./leaseStore.js";

/** How long the server stays down: several retry periods, so the leader renews while it is away. */
const OUTAGE_MS = 600;

let t: TestNats | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe("the elector across a restart of the only nats-server", () => {
  it("a leader whose renewal was lost in the outage renews at the reconnect and keeps its term", async () => {
    t = await startTestNats();
    const bucket = uniqueName("LEASES");
    const nc = await t.connect();
    // A renew deadline far longer than the outage: only a renewal that waits out its timeout can end the term.
    const elector = elect(nc, "controllers", "controllers/a/1", { bucket, leaseDurationMs: 40_000, renewDeadlineMs: 30_000, retryPeriodMs: 100 });
    const seen: LeadershipEvent[] = [];
    elector.onChange((e) => seen.push(e));
    try {
      const term = await eventually(() => elector.term(), 10_000);
      await t.server.kill();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await t.server.start();
      const kv = await openLeaseBucket(await t.connect(), { bucket });
      const before = (await eventually(() => readLease(kv, "controllers"), 10_000)).revision;
      // renewals resume within a few retry periods of the return (not at the 30 s deadline)
      await eventually(async () => ((await readLease(kv, "controllers"))?.revision ?? 0) > before + 2, 10_000, 50);
      expect(seen.filter((e) => e.type === "lost")).toEqual([]);
      expect(elector.term()).toBe(term);
    } finally {
      await elector.stop();
    }
  });
});
