/**
 * `npm run bench -- --cluster [--quick]`: the figures of issue 15 on this machine. For one server (R1) and a
 * cluster of three (R3): the pipelined append ceiling, and a scale-up (pods/s, command p99 as the controllers see it
 * is not separated here: the time per pod) with 1, 2 and 3 actor hosts; then fault 1 at full size: the time to
 * converge after the kill -9 of the event stream leader's server; then fault 3 (`--restart` alone: only this row,
 * `--runs N` times, default 5): the time to converge after the only server's return, beside its 3 s goal.
 * Prints `figure | value | against`; writes bench/results/cluster.json and appends a line to history.jsonl.
 * Benchmarks print; they never fail on speed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestCluster } from "../test/harness/natsCluster.js";
import { eventually, startTestNats, uniqueName } from "../test/harness/natsServer.js";
import { startFaultSystem } from "../test/harness/faults.js";
import { clusterCeiling } from "./ceiling.js";
import { Streams } from "../src/events/streams.js";
import { EVENT_STREAM } from "../src/events/names.js";
import { appendHistory, gitState, machine } from "./history.js";
import { measureRestart, spread, type RestartRun } from "./restart.js";

const quick = process.argv.includes("--quick");
const restartOnly = process.argv.includes("--restart");
const argAfter = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const RESTART_RUNS = Number(argAfter("--runs") ?? (restartOnly ? 5 : 3));
/** Fault 3's size: the e2e spec's (240 pods on 6 nodes, two actor hosts), where the issue set its goal. */
const RESTART_SHAPE = { pods: 240, nodes: 6, actors: 2 };
const RESTART_GOAL_MS = 3_000;
const PODS = quick ? 300 : 2_000;
const NODES = Math.ceil(PODS / 100) + 2;
const say = (s: string) => process.stdout.write(`${s}\n`);
const rows: { figure: string; value: string; against: string }[] = [];
const row = (figure: string, value: string, against: string) => { rows.push({ figure, value, against }); say(`  ${figure}: ${value}  (${against})`); };

/** A scale-up to PODS with `hosts` actor hosts on `url`; pods/s from the RC's create to all Running. */
async function scaleUp(url: string, nc: NatsConnection, replicas: number, hosts: number): Promise<{ podsPerSec: number; seconds: number }> {
  const sys = await startFaultSystem(url, nc, uniqueName("b"), { actors: hosts, controllers: 1, nodes: NODES, replicas });
  try {
    const t0 = performance.now();
    await sys.scaleUp("web", PODS);
    await sys.converged("web", PODS, 1_200_000);
    const seconds = (performance.now() - t0) / 1000;
    return { podsPerSec: Math.round(PODS / seconds), seconds: Math.round(seconds * 10) / 10 };
  } finally {
    await sys.stop();
  }
}

say(`cluster benchmarks (${quick ? "quick" : "full"}: ${PODS} pods on ${NODES} simulated nodes) on ${cpus().length} cores, node ${process.version}`);
const results: Record<string, unknown> = { machine: { cpus: cpus().length, model: cpus()[0]?.model }, quick, pods: PODS, at: new Date().toISOString() };
const figures: Record<string, number> = {};
const git = gitState();
const startedOn = machine();
const began = performance.now();
if (!restartOnly) {
for (const topology of [{ name: "R1 (one server)", servers: 1 }, { name: "R3 (three servers)", servers: 3 }]) {
  for (const hosts of [1, 2, 3]) {
    // a fresh server (or cluster) per run, so that one run's stream never weighs on the next
    const env = topology.servers === 1 ? await startTestNats() : await startTestCluster(3);
    try {
      const nc = await env.connect();
      if (hosts === 1) row(`${topology.name} ceiling, pipelined`, `${await clusterCeiling(nc, topology.servers, quick ? 10 : 30)} events/s`, "200 entities, guarded appends");
      const r = await scaleUp(env.url, nc, topology.servers, hosts);
      row(`${topology.name} scale-up, ${hosts} actor host(s)`, `${r.podsPerSec} pods/s (${r.seconds} s)`, `~4 events/pod: ${r.podsPerSec * 4} events/s`);
      results[`${topology.servers}x${hosts}`] = r;
      figures[`cluster.R${topology.servers}x${hosts}.podsPerSec`] = r.podsPerSec;
    } finally {
      await env.cleanup();
    }
  }
}

say(`fault 1 at ${PODS} pods: kill -9 of the event stream leader's server at a quarter of the scale-up`);
{
  const c = await startTestCluster(3);
  try {
    const nc = await c.connect();
    const sys = await startFaultSystem(c.url, nc, uniqueName("f"), { actors: 2, controllers: 1, nodes: NODES, replicas: 3 });
    const leader = (await (await Streams.open(nc)).info(EVENT_STREAM)).leader;
    const victim = c.cluster.servers[c.cluster.members.findIndex((m) => m.name === leader)] ?? c.server(0);
    const t0 = performance.now();
    await sys.scaleUp("web", PODS);
    await eventually(() => sys.running("web") >= PODS / 4, 600_000, 50);
    await victim.kill();
    const killed = performance.now();
    await sys.converged("web", PODS, 1_200_000);
    const after = (performance.now() - killed) / 1000;
    await victim.start();
    const report = await sys.checkStream("fault 1 stream");
    row("fault 1: converged after the kill", `${after.toFixed(1)} s (whole scale-up ${((performance.now() - t0) / 1000).toFixed(1)} s)`, `${report.gaps.length} gaps, ${report.superseded.length} superseded appends`);
    results.fault1 = { convergedSeconds: after, gaps: report.gaps.length, superseded: report.superseded.length };
    figures["fault1.convergedSeconds"] = Math.round(after * 10) / 10;
    await sys.stop();
  } finally {
    await c.cleanup();
  }
}
}

say(`fault 3 at ${RESTART_SHAPE.pods} pods, ${RESTART_RUNS} runs: kill -9 of the only nats-server at a quarter of the scale-up, restarted at once on its store`);
{
  const runs: RestartRun[] = [];
  for (let i = 0; i < RESTART_RUNS; i++) {
    const logDir = process.env.COX_BENCH_LOGS ? `${process.env.COX_BENCH_LOGS}/run${i}` : undefined;
    const r = await measureRestart({ ...RESTART_SHAPE, ...(logDir ? { logDir } : {}) });
    runs.push(r);
    say(`    run ${i + 1}: ${JSON.stringify(r)}`);
  }
  const of = (k: keyof RestartRun) => spread(runs.map((r) => Number(r[k])));
  const c = of("convergedMs");
  const fmt = (x: { median: number; min: number; max: number }, unit = " ms") => `${x.median}${unit} (${x.min}–${x.max})`;
  row("fault 3: converged after the server's return, median (range)", fmt(c), `goal ≤ ${RESTART_GOAL_MS} ms: ${(c.median / RESTART_GOAL_MS).toFixed(2)} ${c.median <= RESTART_GOAL_MS ? "✓" : "✗"}`);
  row("fault 3: longest time without an event after the return", fmt(of("longestQuietMs")), `server down (kill to return) ${fmt(of("downMs"))}`);
  row("fault 3: first event / first pod Running after the return", `${fmt(of("firstEventMs"))} / ${fmt(of("firstRunningMs"))}`, "");
  row("fault 3: requests that waited out a timeout after the return / controllers' leases lost", `${fmt(of("timeoutsLogged"), "")} / ${fmt(of("leasesLost"), "")}`, "goal 0 / 0: nothing waits out a timeout");
  results.fault3 = runs;
  Object.assign(figures, { "fault3.convergedMedianMs": c.median, "fault3.convergedMinMs": c.min, "fault3.convergedMaxMs": c.max, "fault3.longestQuietMedianMs": of("longestQuietMs").median, "fault3.runs": runs.length });
}

results.table = rows;
const dir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}cluster.json`, `${JSON.stringify(results, null, 2)}\n`);
appendHistory({
  at: results.at as string, commit: git.commit, dirty: git.dirty, mode: restartOnly ? "restart" : "cluster", machine: startedOn,
  loadAverageAtEnd: machine().loadAverage, seconds: Math.round((performance.now() - began) / 1000), complete: true, figures, table: rows.map((r) => ({ ...r, ratio: "" })),
});
say("results written to bench/results/cluster.json, one line appended to bench/results/history.jsonl");
process.exit(0);
