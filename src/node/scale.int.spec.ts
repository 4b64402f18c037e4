/**
 * What 1,000 simulated nodes cost in one process: heartbeats flowing to a real nats-server, no pods.
 * The idle window is COX_NODE_SCALE_MS (default 5 s; the figures in the report were taken with 20000).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { MemoryView } from "../../test/harness/memoryView.js";
import { FakePodActor } from "../../test/harness/podFixtures.js";
import { startNodeAgents } from "./run.js";

const NODES = 1000;
const IDLE_MS = Number(process.env.COX_NODE_SCALE_MS ?? 5000);

let nats: TestNats;
let nc: NatsConnection;
beforeAll(async () => {
  nats = await startTestNats();
  nc = await nats.connect();
});
afterAll(async () => nats.cleanup());

describe(`${NODES} simulated nodes in one process`, () => {
  it("idle with heartbeats flowing: memory and CPU", { timeout: IDLE_MS + 60_000 }, async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const bucket = uniqueName("LEASES");
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const t0 = Date.now();
    const agents = await startNodeAgents(nc, {
      prefix: uniqueName("p"), view, count: NODES, runtime: "sim", leaseBucket: bucket, sender: () => actor, logger: pino({ level: "silent" }),
    });
    await Promise.all(agents.agents.map((a) => a.registered));
    const startMs = Date.now() - t0;
    const kv = await new Kvm(nc).open(bucket);
    const seqBefore = (await kv.status()).streamInfo.state.last_seq;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    const writes = (await kv.status()).streamInfo.state.last_seq - seqBefore;
    const rss = process.memoryUsage().rss;
    const figures = {
      nodes: NODES, startMs, idleMs: Math.round(wallMs),
      rssMiB: Math.round(rss / 2 ** 20), rssDeltaMiB: Math.round((rss - rssBefore) / 2 ** 20),
      heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
      heartbeatWritesPerSecond: Math.round(writes / (wallMs / 1000)),
    };
    console.log(`node agents at scale: ${JSON.stringify(figures)}`);
    // Behaviour, not speed: every node registered, and every node renewed its lease during the idle window.
    const windowStart = Date.now() - wallMs / 2;
    const stale: string[] = [];
    for (const a of agents.agents) {
      const lease = (await kv.get(a.name))?.json<{ renewTime: string }>();
      if (!lease || Date.parse(lease.renewTime) < windowStart) stale.push(a.name);
    }
    await agents.stop();
    expect(actor.of("RegisterNode")).toHaveLength(NODES);
    expect(stale).toEqual([]);
  });
});
