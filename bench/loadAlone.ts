/**
 * Figure 3c, 3b's loads with no scale-up: the four parts up as for 3b, its nodes Ready and heartbeating, no pod asked
 * for, and the same loads (warmed first) for `seconds`. What 3b has above it is the scale-up's; what it has above
 * figure 3 (the actor host alone) is the rest of the system's: the other parts folding each command's event, the
 * nodes' heartbeats, nats-server carrying it all. Bounded: nodes not all Ready by the deadline are reported, not run.
 */
import type { BenchServer } from "./benchServer.js";
import { prepareLoadDuring, type LoadDuring, type LoadOptions, type LoadResults } from "./loadDuring.js";
import { cpuSince, type BenchPart } from "./parts.js";
import { nodesReady, PREFIX, startParts, withTotal } from "./scaleUp.js";

/** What to run. */
export interface LoadAloneOptions {
  nodes: number;
  heartbeatMs: number;
  /** How long the measured loads run. */
  seconds: number;
  load: LoadOptions;
  /** From the first part's start. */
  timeoutMs: number;
}

/** The loads' latencies (absent when the nodes were not all Ready in time) and the cores each process spent meanwhile. */
export interface LoadAloneResult {
  nodes: number;
  readyNodes: number;
  loads?: LoadResults;
  warmUp?: LoadResults;
  /** CPU of each part and of nats-server over the measured run, in cores (heartbeats and floors included). */
  cores: Record<string, number>;
  totalCores: number;
}

/** Runs 3c on a fresh server's system and stops every part it started. */
export async function measureLoadAlone(s: BenchServer, opts: LoadAloneOptions): Promise<LoadAloneResult> {
  const deadline = performance.now() + opts.timeoutMs;
  const parts: BenchPart[] = [];
  let load: LoadDuring | undefined;
  try {
    await startParts(s, opts, parts, deadline);
    const readyNodes = await nodesReady(await s.connect(), opts.nodes, deadline);
    if (readyNodes < opts.nodes) return { nodes: opts.nodes, readyNodes, cores: {}, totalCores: NaN };
    load = await prepareLoadDuring(s.url, PREFIX, opts.load);
    const cpuUsed = cpuSince(parts, s.server.pid ?? NaN);
    const t0 = performance.now();
    const loads = await load.run(opts.seconds, () => false);
    const ms = performance.now() - t0;
    const used = cpuUsed();
    const { total: totalCores = NaN, ...cores } = withTotal(used, ms, 2);
    return { nodes: opts.nodes, readyNodes, loads, ...(load.warmUp ? { warmUp: load.warmUp } : {}), cores, totalCores };
  } finally {
    await load?.close();
    for (const p of [...parts].reverse()) await p.stop();
  }
}
