/**
 * Figure 2, scale-up: N simulated nodes and an RC scaled from 0 to P pods; seconds until all P are Running (as a
 * watcher of the read API sees them), pods/s, events/s, and events/s against the pipelined ceiling. The parts run
 * as separate `coxswain` processes, as they would be deployed: actors, api, controllers, node (all N agents in
 * one process). Also collects figure 4 (watch lag, from the same watch) and the RSS half of figure 7; with a
 * `load`, figure 3b (command latency offered to the same actor host for as long as the scale-up runs).
 * Bounded: at the deadline it stops and reports how far it got (`complete: false`) instead of failing.
 */
import { writeFileSync } from "node:fs";
import { EVENT_STREAM } from "../src/events/names.js";
import type { NatsConnection } from "@nats-io/transport-node";
import type { BenchServer } from "./benchServer.js";
import { prepareLoadDuring, type LoadDuring, type LoadOptions } from "./loadDuring.js";
import { startBenchPart, cpuSince, mainThreadCpuMsOf, pssOf, rssOf, round, type BenchPart } from "./parts.js";
import { hrtimeUs, type ProfileWindow } from "./profile.js";
import { PodWatch, watchLag } from "./watchLag.js";
import { pausesBetween, scrapeAll } from "./pauses.js";
import { ReadClient } from "../src/projections/readClient.js";
import { Streams } from "../src/events/streams.js";
import { rcManifest } from "../test/harness/system.js";

/** What to scale. */
export interface ScaleUpOptions {
  nodes: number;
  pods: number;
  heartbeatMs: number;
  /** From the first part's start: past it, the run stops and reports how far it got. */
  timeoutMs: number;
  /** Write CPU profiles of the parts here. */
  profileDir?: string;
  /** Called once the pods are Running (or at the deadline), while the system still holds them (figure 7). */
  whileHolding?: (url: string, prefix: string) => Promise<unknown>;
  /** The RC to scale (default: `web` with a plain simulated container). */
  manifest?: (replicas: number) => object;
  /**
   * Commands offered at `rate`/s to the same actor host from the scale command until the pods are Running, and
   * beside them the floors' requests at `floorRate`/s each, to an echo and to an appending responder (loadDuring.ts);
   * with `warmSeconds`, the same loads first run that long before the scale command, measured apart.
   */
  load?: LoadOptions;
  say(line: string): void;
}

/** The subject prefix of the bench's systems. */
export const PREFIX = "bench";
/** Each part serves /metrics on a free port (the API on its HTTP port), read for the pauses of the scale-up. */
const METRICS = ["--metrics-bind-address", "127.0.0.1:0"];

/** Polls `check` every `everyMs` until it holds (true) or `deadline` (performance.now()) passes (false). */
async function waitUntil(check: () => boolean | Promise<boolean>, deadline: number, everyMs: number): Promise<boolean> {
  while (!(await check())) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}

/** Events stored on the stream (all, and those of namespaces: the load's, to leave out of the scale-up's rate). */
async function eventCounts(streams: Streams): Promise<{ all: number; namespaces: number }> {
  const info = await streams.info(EVENT_STREAM, { subjects: `${PREFIX}.ev.namespaces.>` });
  return { all: info.lastSequence, namespaces: Object.values(info.subjects).reduce((a, b) => a + b, 0) };
}

/** Starts the four parts into `parts` (actors first: the others send it commands as soon as they are up). */
export async function startParts(s: BenchServer, opts: Pick<ScaleUpOptions, "nodes" | "heartbeatMs" | "profileDir">, parts: BenchPart[], deadline: number): Promise<void> {
  const start = async (name: string, args: string[], ready: string) => {
    parts.push(await startBenchPart(name, s.url, PREFIX, args, ready, opts.profileDir, Math.max(120_000, deadline - performance.now())));
  };
  await start("actors", ["actors", ...METRICS], "actor host ready");
  // allSettled: a part that fails must not leave the others starting after the caller has stopped those it knows.
  const started = await Promise.allSettled([
    start("api", ["api", "--http", "0", "--name", "bench-api"], "read model caught up"),
    start("controllers", ["controllers", ...METRICS], "campaigning"),
    start("node", ["node", "--count", String(opts.nodes), "--heartbeat", String(opts.heartbeatMs), ...METRICS], "node agent ready"),
  ]);
  const failed = started.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

/**
 * How many nodes are Ready once all `nodes` are, or at the deadline. A watch (one message per node), not a list:
 * a list is one reply, and past a few thousand nodes it would exceed nats-server's 1 MB max_payload.
 */
export async function nodesReady(nc: NatsConnection, nodes: number, deadline: number): Promise<number> {
  const ready = new Set<string>();
  const watch = await new ReadClient(nc, PREFIX).watch("nodes", null);
  const loop = (async () => {
    for await (const e of watch) {
      const name = (e.object.metadata as { name: string }).name;
      const conditions = (e.object.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
      if (e.type !== "DELETED" && conditions?.some((c) => c.type === "Ready" && c.status === "True")) ready.add(name);
      else ready.delete(name);
    }
  })().catch(() => undefined);
  try {
    await waitUntil(() => ready.size >= nodes, deadline, 200);
  } finally {
    await watch.stop();
    await loop;
  }
  return ready.size;
}

/** Waits for the watch to see all pods Running (true) or the deadline (false), saying how far it got every 5 s. */
async function allRunning(watch: PodWatch, opts: ScaleUpOptions, t0: number, deadline: number): Promise<boolean> {
  let lastSay = t0;
  const progress = () => `${watch.active.size} created, ${watch.bound.size} bound, ${watch.running.size}/${opts.pods} Running after ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  const complete = await waitUntil(() => {
    if (performance.now() - lastSay > 5_000) {
      lastSay = performance.now();
      opts.say(`   … ${progress()}`);
    }
    return watch.running.size >= opts.pods;
  }, deadline, 20);
  if (!complete) opts.say(`   deadline: ${progress()}`);
  return complete;
}

/**
 * The pods of `default` the read API holds, and how many are Running, as a sentence: through a fresh watch (its
 * initial ADDED events, one message per pod), ended by 1 s of quiet after the first (or 30 s without any: a busy API
 * took over 1 s to send the first of 100,000, and the census said 0). Not a list: a list is one reply, and an API
 * process asked for one past nats-server's 1 MB max_payload exits (seen at 1,241 pods, 2026-12-02).
 */
async function census(nc: NatsConnection): Promise<string> {
  const running = new Map<string, boolean>();
  const watch = await new ReadClient(nc, PREFIX).watch("pods", "default");
  let last = performance.now() + 29_000;
  const loop = (async () => {
    for await (const e of watch) {
      last = performance.now();
      running.set((e.object.metadata as { name: string }).name, (e.object.status as { phase?: string } | undefined)?.phase === "Running");
    }
  })().catch(() => undefined);
  await waitUntil(() => performance.now() - last > 1_000, performance.now() + 60_000, 100);
  await watch.stop();
  await loop;
  return `${running.size} pods, ${[...running.values()].filter(Boolean).length} Running`;
}

/** Runs the scale-up on a fresh server and stops every part it started. */
export async function measureScaleUp(s: BenchServer, opts: ScaleUpOptions) {
  const deadline = performance.now() + opts.timeoutMs;
  const parts: BenchPart[] = [];
  const nc = await s.connect();
  const watch = new PodWatch();
  let load: LoadDuring | undefined;
  let loaded: ReturnType<LoadDuring["run"]> | undefined;
  let finished = false;
  try {
    await startParts(s, opts, parts, deadline);
    const readyNodes = await nodesReady(nc, opts.nodes, deadline);
    if (readyNodes < opts.nodes) {
      opts.say(`   deadline: ${readyNodes}/${opts.nodes} nodes Ready, no pod asked for`);
      return { asked: false as const, complete: false, nodes: opts.nodes, readyNodes, pods: opts.pods, running: 0 };
    }
    const send = async (type: string, data: unknown) => {
      const reply = (await nc.request(`${PREFIX}.cmd.replicationcontrollers.default.web`, JSON.stringify({ apiVersion: "v1", type, data }), { timeout: 10_000 })).json() as { ok: boolean };
      if (!reply.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
    };
    await send("CreateReplicationController", (opts.manifest ?? ((n) => rcManifest("web", n)))(0));
    await watch.open(nc, PREFIX, "default");
    load = opts.load && await prepareLoadDuring(s.url, PREFIX, opts.load);
    const streams = await Streams.open(nc);
    const events0 = await eventCounts(streams);
    const rss0 = Object.fromEntries(parts.map((p) => [p.name, rssOf(p.pid)]));
    const cpuUsed = cpuSince(parts, s.server.pid ?? NaN);
    const main0 = Object.fromEntries(parts.map((p) => [p.name, mainThreadCpuMsOf(p.pid)]));
    const metricsUrls = Object.fromEntries(parts.flatMap((p) => (p.metricsUrl ? [[p.name, p.metricsUrl]] : [])));
    const scraped0 = await scrapeAll(metricsUrls); // also starts each part's event-loop delay afresh
    const t0 = performance.now();
    const fromUs = hrtimeUs();
    await send("ScaleReplicationController", { replicas: opts.pods });
    loaded = load?.run((deadline - t0) / 1000, () => finished);
    loaded?.catch(() => undefined); // handled where it is awaited below; meanwhile a failure is not an unhandled rejection
    const complete = await allRunning(watch, opts, t0, deadline);
    finished = true;
    const profileWindow: ProfileWindow = { fromUs, toUs: hrtimeUs() };
    const seconds = (performance.now() - t0) / 1000;
    const scraped1 = await scrapeAll(metricsUrls);
    // A part that did not answer a scrape is left out (its row names the parts that did).
    const pauses = Object.fromEntries(Object.keys(metricsUrls).flatMap((name) => {
      const p = pausesBetween(scraped0[name] ?? "", scraped1[name] ?? "", seconds);
      return p ? [[name, p]] : [];
    }));
    const [running, created, bound] = [watch.running.size, watch.active.size, watch.bound.size];
    const events1 = await eventCounts(streams);
    const events = events1.all - events0.all - (events1.namespaces - events0.namespaces);
    const rss = Object.fromEntries(parts.map((p) => [p.name, rssOf(p.pid)]));
    const pss = Object.fromEntries(parts.map((p) => [p.name, pssOf(p.pid)]));
    // CPU ms of each process (and their total) over the scale-up, per Running pod.
    const cpuMs = cpuUsed();
    const cpuMsPerPod = withTotal(cpuMs, Math.max(running, 1), 2);
    const offMainPercent = Object.fromEntries(parts.map((p) => [p.name, offMainShare(cpuMs[p.name] ?? NaN, mainThreadCpuMsOf(p.pid) - (main0[p.name] ?? NaN))]));
    if (!complete) opts.say(`   the read API itself holds ${await census(nc)} (a watch that missed changes would have seen fewer)`);
    const { commands: commandsDuring, floor: floorDuring, appendFloor: appendFloorDuring } = (await loaded) ?? {};
    const holding = await opts.whileHolding?.(s.url, PREFIX);
    await watch.stop();
    const lag = await watchLag(nc, EVENT_STREAM, watch.seen);
    return {
      asked: true as const, complete, nodes: opts.nodes, readyNodes, pods: opts.pods, running, created, bound,
      seconds: round(seconds, 2), podsPerSec: round(running / seconds), events,
      eventsPerPod: round(events / Math.max(running, 1), 2), eventsPerSec: round(events / seconds), watchLag: lag,
      rssBeforeMiB: withTotal(rss0, 2 ** 20), rssMiB: withTotal(rss, 2 ** 20), pssMiB: withTotal(pss, 2 ** 20), cpuMsPerPod, offMainPercent, holding, commandsDuring, floorDuring, appendFloorDuring, loadWarmUp: load?.warmUp, pauses, slowConsumers: await s.slowConsumers(), profileWindow,
    };
  } finally {
    await watch.stop().catch(() => undefined);
    // On a failure the load is still running: stop it, and let its (then failing) run be settled before the threads end.
    finished = true;
    await loaded?.catch(() => undefined);
    await load?.close();
    if (process.env.BENCH_DUMP) for (const p of parts) writeFileSync(`${process.env.BENCH_DUMP}/${p.name}.log`, p.proc.output());
    for (const p of [...parts].reverse()) await p.stop();
  }
}

/** The result of a scale-up that got as far as asking for the pods (`asked`: its nodes were all Ready in time). */
export type ScaleUpResult = Extract<Awaited<ReturnType<typeof measureScaleUp>>, { asked: true }>;

/** The share of a process's CPU (`allMs`, its threads together) that ran off its main thread (`mainMs`), in %. Pure. */
export function offMainShare(allMs: number, mainMs: number): number {
  return allMs > 0 && mainMs >= 0 ? round((100 * Math.max(0, allMs - mainMs)) / allMs, 1) : NaN;
}

/** Each part's value divided by `divisor` (rounded to `digits`), and their total as `total`. Pure. */
export function withTotal(byPart: Record<string, number>, divisor: number, digits = 1): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(byPart)) { out[k] = round(v / divisor, digits); total += v; }
  out.total = round(total / divisor, digits);
  return out;
}
