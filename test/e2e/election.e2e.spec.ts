import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, eventually, type TestNats } from "../harness/natsServer.js";
import type { RunningProcess } from "../harness/processes.js";
import { holderPid, startPart, watchLease } from "../harness/system.js";
import { EventStore } from "../../src/events/eventStore.js";

const LEASE = 1000; // renew deadline 625 ms, retry period 125 ms (see src/cli/components.ts)
const RETRY = 125;

describe("three coxswain controllers processes campaigning for one lease", () => {
  let t: TestNats;
  let nc: NatsConnection;
  const prefix = uniqueName("e");
  const procs: RunningProcess[] = [];
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    procs.push(await startPart(t.url, prefix, "actors", [], "actor host ready"));
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill("SIGKILL");
    await t.cleanup();
  });

  const start = async () => {
    const p = await startPart(t.url, prefix, "controllers", ["--lease-duration", String(LEASE)], "campaigning");
    procs.push(p);
    return p;
  };
  const byPid = (pid: number | undefined) => procs.find((p) => p.child.pid === pid);

  it("elects exactly one; a SIGTERM hands over within 500 ms, a kill -9 within lease + retry period", async () => {
    const lease = await watchLease(nc);
    await Promise.all([start(), start(), start()]);
    const first = await eventually(() => lease.changes.findLast((c) => c.holder)?.holder);
    await new Promise((r) => setTimeout(r, 3 * RETRY));
    const holders = new Set(lease.changes.filter((c) => c.holder).map((c) => c.holder));
    expect(holders.size).toBe(1);

    const leader = byPid(holderPid(first));
    expect(leader).toBeDefined();
    const t0 = performance.now();
    leader!.child.kill("SIGTERM");
    const second = await eventually(() => lease.changes.find((c) => c.at > t0 && c.holder && c.holder !== first), 5_000, 1);
    const graceful = second.at - t0;
    expect(graceful).toBeLessThan(500);
    expect((await leader!.exited).code).toBe(0);

    const t1 = performance.now();
    byPid(holderPid(second.holder))!.child.kill("SIGKILL");
    const third = await eventually(() => lease.changes.find((c) => c.at > t1 && c.holder && c.holder !== second.holder), 10_000, 5);
    const crash = third.at - t1;
    expect(crash).toBeLessThan(LEASE + RETRY + 400);
    expect(third.term).toBeGreaterThan(second.term);
    console.log(`leaderless gap: SIGTERM ${graceful.toFixed(0)} ms, kill -9 ${crash.toFixed(0)} ms (lease ${LEASE} ms)`);
    lease.stop();
  });

  it("a leader frozen past its lease (SIGSTOP) loses it; after SIGCONT it steps down and nothing it sends is applied", async () => {
    const lease = await watchLease(nc);
    const current = await eventually(() => lease.changes.findLast((c) => c.holder));
    if (procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null).length < 3) await start();
    const frozen = byPid(holderPid(current.holder))!;
    const oldTerm = current.term;
    frozen.child.kill("SIGSTOP");
    const t0 = performance.now();
    const next = await eventually(() => lease.changes.find((c) => c.at > t0 && c.holder && c.holder !== current.holder), 10_000, 5);
    expect(next.term).toBeGreaterThan(oldTerm);
    const takeover = Date.now();
    frozen.child.kill("SIGCONT");
    await frozen.waitFor("lost the lease", 10_000);
    await new Promise((r) => setTimeout(r, 4 * RETRY));
    const store = await EventStore.open(nc, { prefix });
    const late: string[] = [];
    for await (const e of store.replay()) {
      if (e.event.term === oldTerm && Date.parse(e.event.time) > takeover + 1000) late.push(`${e.event.type}@${e.sequence}`);
    }
    expect(late).toEqual([]);
    const after = lease.changes.filter((c) => c.at > t0 && c.holder).map((c) => c.holder);
    expect(after.every((h) => h !== current.holder)).toBe(true);
    lease.stop();
  });
});
