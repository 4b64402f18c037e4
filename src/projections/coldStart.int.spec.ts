/**
 * Measures a cold start of the read model over a large stream, with and without a checkpoint, and checks that
 * both give the same model. `COX_BENCH_EVENTS=100000 npx vitest run src/projections/coldStart.int.spec.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { EventStore } from "../events/eventStore.js";
import { startApi } from "./index.js";

const EVENTS = Number(process.env.COX_BENCH_EVENTS ?? 20_000);
const PER_ENTITY = 10;

/** Publishes NamespaceCreated/Updated envelopes straight into the stream, pipelined (no per-entity guard). */
async function fill(nc: NatsConnection, prefix: string, from: number, count: number): Promise<void> {
  const js = jetstream(nc);
  let pending: Promise<unknown>[] = [];
  for (let i = from; i < from + count; i++) {
    const n = Math.floor(i / PER_ENTITY);
    const version = (i % PER_ENTITY) + 1;
    const name = `ns-${n}`;
    const base = { kind: "Namespace", namespace: "_", name, uid: `uid-${n}`, version, time: "2026-11-26T03:40:00Z", commandId: `c-${i}`, schemaVersion: 1 };
    const event = version === 1
      ? { ...base, type: "NamespaceCreated", data: { object: { kind: "Namespace", metadata: { name, uid: `uid-${n}`, creationTimestamp: base.time, labels: { app: `a${n % 10}` } }, spec: {}, status: { phase: "Active" } } } }
      : { ...base, type: "NamespaceUpdated", data: { labels: { app: `a${n % 10}`, v: String(version) }, spec: {} } };
    pending.push(js.publish(`${prefix}.ev.namespaces._.${name}`, JSON.stringify(event)));
    if (pending.length >= 2_000) { await Promise.all(pending); pending = []; }
  }
  await Promise.all(pending);
}

describe(`cold start of the read model over ${EVENTS} events`, () => {
  let t: TestNats;
  let nc: NatsConnection;
  const prefix = uniqueName("c");
  const name = uniqueName("cold");

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    await EventStore.open(nc, { prefix });
    const t0 = performance.now();
    await fill(nc, prefix, 0, EVENTS);
    console.log(`filled ${EVENTS} events in ${(performance.now() - t0).toFixed(0)} ms`);
  }, 300_000);
  afterAll(async () => t?.cleanup());

  it("a checkpoint start replays only the tail and equals a full replay", async () => {
    const full0 = performance.now();
    const full = await startApi(await t.connect(), { prefix, name, checkpointEvery: 1e9, checkpointIntervalMs: 3_600_000 });
    await full.runner.ready();
    const fullMs = performance.now() - full0;
    const cp0 = performance.now();
    await full.runner.checkpoint();
    const cpMs = performance.now() - cp0;
    const heap = process.memoryUsage().heapUsed;
    await full.stop();
    await fill(nc, prefix, EVENTS, 1_000);

    const warm0 = performance.now();
    const warm = await startApi(await t.connect(), { prefix, name });
    await warm.runner.ready();
    const warmMs = performance.now() - warm0;
    const scratch = await startApi(await t.connect(), { prefix, checkpoints: false });
    await scratch.runner.ready();
    const all = { resource: "namespaces" as const, namespace: null };
    expect(warm.runner.stats.startedFrom).toBe(EVENTS);
    expect(warm.runner.stats.eventsApplied).toBe(1_000);
    expect(warm.service.list(all, {})).toEqual(scratch.service.list(all, {}));
    const docs = [...warm.runner.model.documents()];
    const perDoc = docs.reduce((n, d) => n + JSON.stringify(d).length, 0) / docs.length;
    console.log([
      `cold start without checkpoint: ${EVENTS} events in ${fullMs.toFixed(0)} ms (${((EVENTS / fullMs) * 1000).toFixed(0)} events/s)`,
      `checkpoint write: ${docs.length} documents, ${full.runner.stats.lastCheckpointBytes} bytes gzipped, ${cpMs.toFixed(0)} ms`,
      `cold start from checkpoint + 1000 newer events: ${warmMs.toFixed(0)} ms`,
      `document JSON size: ${perDoc.toFixed(0)} bytes on average; heap after full replay ${(heap / 1e6).toFixed(0)} MB`,
    ].join("\n"));
    await warm.stop();
    await scratch.stop();
  }, 300_000);
});
