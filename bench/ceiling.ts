/**
 * Figure 1, the ceiling: raw JetStream appends with the event store's message size and guard
 * (expected-last-subject-sequence + Nats-Msg-Id), awaited one by one, pipelined across entities, and offered at a
 * fixed rate in an open loop (the latency a command cannot beat on this machine: figure 3's ceiling). Raw JetStream on
 * purpose (src/events/boundary.unit.spec.ts): the ceiling is what the event store is measured against. The cluster
 * bench's ceiling is here too, for the same reason.
 */
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient } from "@nats-io/jetstream";
import { eventually, uniqueName } from "../test/harness/natsServer.js";
import type { BenchServer } from "./benchServer.js";
import { runOpenLoop, type LatencySummary } from "./openLoop.js";

/** A representative event body (~600 bytes, like a PodCreated). */
export function sampleEvent(i: number): string {
  return JSON.stringify({
    type: "PodCreated", kind: "Pod", namespace: "default", name: `web-${i}`, uid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    version: 1, time: "2026-11-26T00:00:00Z", commandId: `c-${i}`, correlationId: `c-${i}`, actor: "bench", schemaVersion: 1,
    data: { object: { kind: "Pod", metadata: { name: `web-${i}`, namespace: "default", labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx", env: [{ name: "COX_SIM_DURATION", value: "10s" }] }], restartPolicy: "Always" },
      status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False" }] } } },
  });
}

/**
 * Guarded appends (expected last subject sequence + msg id), `perEntity` awaited one by one on each of `entities`
 * subjects at once; events/s.
 */
async function pipelinedRate(
  js: JetStreamClient, body: string, entities: number, perEntity: number,
  subject: (e: number) => string, msgId: (e: number, v: number) => string,
): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: entities }, async (_, e) => {
    let seq = 0;
    for (let v = 0; v < perEntity; v++) {
      const h = headers();
      h.set("Nats-Msg-Id", msgId(e, v));
      seq = (await js.publish(subject(e), body, { headers: h, expect: { lastSubjectSequence: seq } })).seq;
    }
  }));
  return (entities * perEntity) / ((performance.now() - t0) / 1000);
}

/**
 * The cluster bench's ceiling: pipelined guarded appends across 200 entities on a fresh stream of `replicas`
 * (retried while a new cluster elects its leaders), deleted afterwards; events/s.
 */
export async function clusterCeiling(nc: NatsConnection, replicas: number, perEntity: number): Promise<number> {
  const jsm = await eventually(() => jetstreamManager(nc), 30_000, 200);
  const name = uniqueName("CEIL");
  await eventually(() => jsm.streams.add({ name, subjects: [`${name}.>`], num_replicas: replicas, allow_direct: true }), 30_000, 200);
  const rate = await pipelinedRate(jetstream(nc), sampleEvent(1), 200, perEntity, (e) => `${name}.e${e}`, (e, v) => `${e}-${v}/0`);
  await jsm.streams.delete(name);
  return Math.round(rate);
}

/** Measures awaited and pipelined append rates (events/s). */
export async function measureCeiling(s: BenchServer, opts: { awaited: number; entities: number; perEntity: number; openLoop?: { rate: number; seconds: number } }) {
  const nc = await s.connect();
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({ name: "CEIL", subjects: ["ceil.>"], duplicate_window: 120_000_000_000, allow_direct: true });
  const body = sampleEvent(1);

  let t0 = performance.now();
  let last = 0;
  for (let i = 0; i < opts.awaited; i++) {
    const h = headers();
    h.set("Nats-Msg-Id", `aw-${i}/0`);
    last = (await js.publish("ceil.awaited.one", body, { headers: h, expect: { lastSubjectSequence: last } })).seq;
  }
  const awaited = opts.awaited / ((performance.now() - t0) / 1000);

  const pipelined = await pipelinedRate(js, body, opts.entities, opts.perEntity, (e) => `ceil.pipelined.e${e}`, (e, v) => `pl-${e}-${v}/0`);
  let openLoop: (LatencySummary & { rate: number }) | undefined;
  if (opts.openLoop) {
    const seqs = new Array<number>(opts.entities).fill(0);
    const r = await runOpenLoop({
      rate: opts.openLoop.rate, maxMs: opts.openLoop.seconds * 1000,
      send: async (i) => {
        const e = i % opts.entities;
        const h = headers();
        h.set("Nats-Msg-Id", `ol-${i}/0`);
        seqs[e] = (await js.publish(`ceil.open.e${e}`, body, { headers: h, expect: { lastSubjectSequence: seqs[e] ?? 0 } })).seq;
        return true;
      },
    });
    openLoop = { ...r.latency, rate: opts.openLoop.rate };
  }
  await jsm.streams.delete("CEIL");
  return { awaitedPerSec: Math.round(awaited), pipelinedPerSec: Math.round(pipelined), messageBytes: body.length, ...(openLoop ? { openLoop } : {}) };
}
