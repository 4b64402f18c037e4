import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { jetstreamManager } from "@nats-io/jetstream";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { Heartbeats, openNodeLeases } from "./heartbeat.js";

let nats: TestNats;

beforeAll(async () => {
  nats = await startTestNats();
});
afterAll(async () => {
  await nats?.cleanup();
});

/** A warn-level logger whose lines land in `lines`. */
function capturingLogger(lines: string[]) {
  return pino({ level: "warn" }, { write: (line: string) => void lines.push(line) });
}

describe("node heartbeats", () => {
  it("renew every node's lease each period, one write per slot acknowledged and the rest published plainly", async () => {
    const nc = await nats.connect();
    const bucket = uniqueName("NODE_LEASES");
    const kv = await openNodeLeases(nc, bucket);
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`);
    // Every write of the bucket as the server receives it: an acknowledged write carries a reply subject.
    const writes = { acked: 0, plain: 0 };
    const renewedTimes = new Map<string, Set<string>>();
    const tap = nc.subscribe(`$KV.${bucket}.>`, {
      callback: (_err, msg) => {
        if (msg.reply) writes.acked++;
        else writes.plain++;
        const lease = msg.json<{ nodeName: string; renewTime: string }>();
        const seen = renewedTimes.get(lease.nodeName) ?? new Set<string>();
        renewedTimes.set(lease.nodeName, seen.add(lease.renewTime));
      },
    });
    await nc.flush();
    const heartbeats = new Heartbeats(kv, { periodMs: 200, logger: capturingLogger([]) });
    try {
      await Promise.all(names.map((n) => heartbeats.add(n))); // each first lease acknowledged
      await eventually(() => writes.acked >= names.length || undefined);
      Object.assign(writes, { acked: 0, plain: 0 });
      heartbeats.start();
      // Each node renewed twice after its first lease, and the bucket holds the latest of each.
      await eventually(() => names.every((n) => (renewedTimes.get(n)?.size ?? 0) >= 3) || undefined);
      for (const n of names.slice(0, 5)) {
        const stored = await kv.get(n);
        expect(stored?.operation).toBe("PUT");
        expect(JSON.parse(stored?.string() ?? "{}")).toMatchObject({ nodeName: n, leaseDurationMs: 800 });
      }
      // 100 nodes in 20 slots: of each slot's 5 renewals, one was acknowledged and 4 went without a reply.
      expect(writes.acked).toBeGreaterThan(0);
      expect(writes.plain).toBeGreaterThanOrEqual(3 * writes.acked);
    } finally {
      await heartbeats.stop();
      tap.unsubscribe();
    }
  });

  it("warn when the acknowledged write of a slot fails (the bucket is gone)", async () => {
    const nc = await nats.connect();
    const bucket = uniqueName("NODE_LEASES");
    const kv = await openNodeLeases(nc, bucket);
    const lines: string[] = [];
    const heartbeats = new Heartbeats(kv, { periodMs: 200, logger: capturingLogger(lines) });
    try {
      await Promise.all(["a", "b", "c"].map((n) => heartbeats.add(n)));
      heartbeats.start();
      await (await jetstreamManager(nc)).streams.delete(`KV_${bucket}`);
      await eventually(() => lines.find((l) => l.includes("node heartbeats not written")));
    } finally {
      await heartbeats.stop();
    }
  });
});
