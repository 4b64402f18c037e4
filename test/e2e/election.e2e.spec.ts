/**
 * Three `coxswain controllers` processes campaigning for one lease. How fast a hand-over is lives in the bench
 * (figure 6, bench/failover.ts); here only what happens: one leader, hand-overs on SIGTERM, kill -9 and SIGSTOP,
 * and the fencing that keeps a deposed leader's work out of the store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, eventually, type TestNats } from "../harness/natsServer.js";
import type { RunningProcess } from "../harness/processes.js";
import { holderPid, startPart, watchLease } from "../harness/system.js";
import { sendCommand } from "../harness/commands.js";
import { EventStore } from "../../src/events/eventStore.js";

const LEASE = 1000; // renew deadline 625 ms, retry period 125 ms (see src/cli/components.ts)

/** A ReplicationController of `replicas` pods, sent as a user would. */
function createRc(name: string, replicas: number) {
  const labels = { app: name };
  return {
    apiVersion: "v1", type: "CreateReplicationController",
    data: { metadata: { name }, spec: { replicas, selector: labels, template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "nginx" }] } } } },
  };
}

describe("three coxswain controllers processes campaigning for one lease", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  const prefix = uniqueName("e");
  const procs: RunningProcess[] = [];
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    store = await EventStore.open(nc, { prefix });
    procs.push(await startPart(t.url, prefix, "actors", [], "actor host ready"));
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill("SIGKILL");
    await t.cleanup();
  });

  const start = async (lease = LEASE) => {
    const p = await startPart(t.url, prefix, "controllers", ["--lease-duration", String(lease)], "campaigning");
    procs.push(p);
    return p;
  };
  const alive = () => procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  const byPid = (pid: number | undefined) => procs.find((p) => p.child.pid === pid);

  /** The stream positions of events stamped with `term` that were appended after `sequence`. */
  async function eventsOfTermAfter(term: number, sequence: number): Promise<string[]> {
    const late: string[] = [];
    for await (const e of store.replay()) if (e.sequence > sequence && e.event.term === term) late.push(`${e.event.type}@${e.sequence}`);
    return late;
  }

  /** Pods of `rc` created so far, with the term of their PodCreated. */
  async function podsCreatedFor(rc: string): Promise<{ name: string; term: number | undefined }[]> {
    const out: { name: string; term: number | undefined }[] = [];
    for await (const e of store.replay()) {
      const labels = (e.event.data as { object?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.object?.metadata?.labels;
      if (e.event.type === "PodCreated" && labels?.app === rc) out.push({ name: e.event.name, term: e.event.term });
    }
    return out;
  }

  it("elects exactly one; SIGTERM hands over (exit 0), kill -9 hands over once the lease expires, each with a higher term", async () => {
    const lease = await watchLease(nc);
    await Promise.all([start(), start(), start()]);
    const first = await eventually(() => lease.changes.findLast((c) => c.holder));
    // Three renewals by the holder: three retry periods in which the other two candidates re-checked and stayed out.
    await eventually(() => lease.changes.filter((c) => c.holder === first.holder).length >= 4, 10_000, 5);
    const holders = new Set(lease.changes.filter((c) => c.holder).map((c) => c.holder));
    expect(holders).toEqual(new Set([first.holder]));

    const leader = byPid(holderPid(first.holder));
    expect(leader).toBeDefined();
    const seen = lease.changes.length;
    leader!.child.kill("SIGTERM");
    const second = await eventually(() => lease.changes.slice(seen).find((c) => c.holder && c.holder !== first.holder), 10_000, 5);
    expect((await leader!.exited).code).toBe(0);
    expect(second.term).toBeGreaterThan(first.term);

    const seen2 = lease.changes.length;
    byPid(holderPid(second.holder))!.child.kill("SIGKILL");
    const third = await eventually(() => lease.changes.slice(seen2).find((c) => c.holder && c.holder !== second.holder), 15_000, 5);
    expect(third.term).toBeGreaterThan(second.term);
    lease.stop();
  });

  it("a leader frozen past its lease (SIGSTOP) loses it; its successor does the work that came meanwhile, the store refuses the old term (StaleTerm), and nothing of the old term is stored after the new term began", async () => {
    const lease = await watchLease(nc);
    const current = await eventually(() => lease.changes.findLast((c) => c.holder));
    if (alive().length < 3) await start();
    // One command the leader sends in its term, kept to send again once it is deposed.
    const sent: { subject: string; body: Record<string, unknown> }[] = [];
    const tap = nc.subscribe(`${prefix}.ctl.pods.>`, { callback: (_e, m) => void sent.push({ subject: m.subject, body: m.json() }) });
    expect((await sendCommand(nc, `${prefix}.cmd.replicationcontrollers.default.before-freeze`, createRc("before-freeze", 1))).ok).toBe(true);
    const leaderCommand = await eventually(() => sent.find((c) => c.body.type === "CreatePod" && c.body.term === current.term));
    tap.unsubscribe();

    const frozen = byPid(holderPid(current.holder))!;
    frozen.child.kill("SIGSTOP");
    const seen = lease.changes.length;
    const next = await eventually(() => lease.changes.slice(seen).find((c) => c.holder && c.holder !== current.holder), 15_000, 5);
    const newTermBegan = await store.lastSequence();
    expect(next.term).toBeGreaterThan(current.term);
    // Work for the controllers while the old leader is frozen: its view receives it as soon as it thaws.
    expect((await sendCommand(nc, `${prefix}.cmd.replicationcontrollers.default.frozen-work`, createRc("frozen-work", 2))).ok).toBe(true);
    frozen.child.kill("SIGCONT");
    await frozen.waitFor("lost the lease", 10_000);
    const pods = await eventually(async () => { const p = await podsCreatedFor("frozen-work"); return p.length >= 2 ? p : undefined; }, 15_000, 50);
    expect(pods.map((p) => p.term)).toEqual([next.term, next.term]);

    // The deposed leader fences itself (it stepped down before sending); the store fences it too: its command, sent again, is refused.
    const again = await sendCommand(nc, leaderCommand.subject, { ...leaderCommand.body, id: `${String(leaderCommand.body.id)}-again` });
    expect(again).toMatchObject({ ok: false, status: { reason: "StaleTerm", code: 409 } });
    expect(await eventsOfTermAfter(current.term, newTermBegan)).toEqual([]);
    expect(await podsCreatedFor("before-freeze")).toHaveLength(1);
    lease.stop();
  });
});
