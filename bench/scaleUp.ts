/**
 * Figure 2, scale-up: N simulated nodes and an RC scaled from 0 to P pods; seconds until all P are Running (as a
 * watcher of the read API sees them), pods/s, events/s, and events/s against the pipelined ceiling. The parts run
 * as separate `coxswain` processes, as they would be deployed: actors, api, controllers, node (all N agents in
 * one process). Also collects figure 4 (watch lag, from the same watch) and the RSS half of figure 7.
 */
import { writeFileSync } from "node:fs";
import { jetstreamManager } from "@nats-io/jetstream";
import type { BenchServer } from "./benchServer.js";
import { startBenchPart, rssOf, round, until, type BenchPart } from "./parts.js";
import { PodWatch, watchLag } from "./watchLag.js";
import { ReadClient } from "../src/projections/readClient.js";
import { rcManifest } from "../test/harness/system.js";

/** What to scale. */
export interface ScaleUpOptions {
  nodes: number;
  pods: number;
  heartbeatMs: number;
  timeoutMs: number;
  /** Write CPU profiles of the parts here. */
  profileDir?: string;
  /** The RC to scale, at a replica count (default: `rcManifest("web", replicas)`, plain simulated containers). */
  manifest?: (replicas: number) => object;
  /** Called once every pod is Running, while the system still holds them (figure 7's read-model probe). */
  whileHolding?: (url: string, prefix: string) => Promise<unknown>;
  say(line: string): void;
}

const PREFIX = "bench";

/** Runs the scale-up on a fresh server and stops every part it started. */
export async function measureScaleUp(s: BenchServer, opts: ScaleUpOptions) {
  const parts: BenchPart[] = [];
  const nc = await s.connect();
  const watch = new PodWatch();
  try {
    const start = (name: string, args: string[], ready: string) => startBenchPart(name, s.url, PREFIX, args, ready, opts.profileDir);
    parts.push(await start("actors", ["actors"], "actor host ready"));
    parts.push(...await Promise.all([
      start("api", ["api", "--http", "0", "--name", "bench-api"], "read model caught up"),
      start("controllers", ["controllers"], "campaigning"),
      start("node", ["node", "--count", String(opts.nodes), "--heartbeat", String(opts.heartbeatMs)], "node agent ready"),
    ]));
    const reads = new ReadClient(nc, PREFIX);
    const ready = async () => (await reads.list("nodes", null, { fieldSelector: undefined })).items
      .filter((n) => (n.status as { conditions?: { type: string; status: string }[] }).conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
    await until(async () => (await ready()) >= opts.nodes, 120_000, 500, `${opts.nodes} Ready nodes`);
    const send = async (type: string, data: unknown) => {
      const reply = (await nc.request(`${PREFIX}.cmd.replicationcontrollers.default.web`, JSON.stringify({ apiVersion: "v1", type, data }), { timeout: 10_000 })).json() as { ok: boolean };
      if (!reply.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
    };
    await send("CreateReplicationController", (opts.manifest ?? ((n) => rcManifest("web", n)))(0));
    await watch.open(nc, PREFIX, "default");
    const jsm = await jetstreamManager(nc);
    const seq0 = (await jsm.streams.info("COX_EVENTS")).state.last_seq;
    const rss0 = Object.fromEntries(parts.map((p) => [p.name, rssOf(p.pid)]));
    const t0 = performance.now();
    await send("ScaleReplicationController", { replicas: opts.pods });
    let lastSay = t0;
    await until(() => {
      if (performance.now() - lastSay > 5_000) {
        lastSay = performance.now();
        opts.say(`   … ${watch.active.size} created, ${watch.bound.size} bound, ${watch.running.size}/${opts.pods} Running after ${((lastSay - t0) / 1000).toFixed(0)} s`);
      }
      return watch.running.size >= opts.pods;
    }, opts.timeoutMs, 20, `${opts.pods} Running pods`);
    const seconds = (performance.now() - t0) / 1000;
    const events = (await jsm.streams.info("COX_EVENTS")).state.last_seq - seq0;
    const rss = Object.fromEntries(parts.map((p) => [p.name, rssOf(p.pid)]));
    const holding = await opts.whileHolding?.(s.url, PREFIX);
    await watch.stop();
    const lag = await watchLag(nc, "COX_EVENTS", watch.seen);
    return {
      nodes: opts.nodes, pods: opts.pods, seconds: round(seconds, 2), podsPerSec: round(opts.pods / seconds), events,
      eventsPerPod: round(events / opts.pods, 2), eventsPerSec: round(events / seconds), watchLag: lag,
      rssBeforeMiB: mib(rss0), rssMiB: mib(rss), holding,
    };
  } finally {
    await watch.stop().catch(() => undefined);
    if (process.env.BENCH_DUMP) for (const p of parts) writeFileSync(`${process.env.BENCH_DUMP}/${p.name}.log`, p.proc.output());
    for (const p of [...parts].reverse()) await p.stop();
  }
}

function mib(byPart: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(byPart)) { out[k] = round(v / 2 ** 20); total += v; }
  out.total = round(total / 2 ** 20);
  return out;
}
