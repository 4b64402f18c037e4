/**
 * `npm run bench [-- --quick | --big] [-- --profile] [-- --deadline <minutes>]`: measures the system on this machine
 * and prints each figure beside the ceiling or goal it is measured against in the same run, as a table
 * `figure | value | ceiling/goal | ratio`. Writes bench/results/latest.json and appends one line to
 * bench/results/history.jsonl (commit, machine, figures). Benchmarks print; they never fail on speed.
 * `--quick`: 1,000 pods on 100 nodes; default: 10,000 on 1,000; `--big`: 100,000 on 10,000 (only the figures that
 * grow with the cluster), with a 10,000-pod scale-up just before and just after it to compare with in the same hour,
 * then how each grew, from the history. `--deadline`: past it, the running stage reports how
 * far it got and the rest are skipped. `--profile`: figure 2's scale-up's parts under node's --cpu-prof; the top five
 * self-time functions of each while the scale-up ran go into the results. `--growth`: only print the growth table
 * from the history.
 * `--network`: only figure 9 (the service proxy: throughput and p99 beside a direct connection, endpoint propagation).
 * `--dns [--quick]`: only figure 10, the cluster DNS server's queries/s and p99.
 * `--cold [--history <events>]`: only figure 5 (cold start of the API process), at the quick size (100,000 events)
 * or the given history size.
 * Methods: docs/benchmarks.md.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBenchServer, type BenchServer } from "./benchServer.js";
import { measureCeiling } from "./ceiling.js";
import { measureDns } from "./dns.js";
import { measureColdStart } from "./coldStart.js";
import { commandLoad } from "./commandLatency.js";
import { measureFailover } from "./failover.js";
import { growthTable, pairedGrowth, type ScaleUpCost } from "./growth.js";
import { appendHistory, gitState, HISTORY, machine, readHistory, type HistoryLine, type Mode } from "./history.js";
import { readModelBytes } from "./memory.js";
import type { OpenLoopResult } from "./openLoop.js";
import type { LoadOptions } from "./loadDuring.js";
import { startBenchPart } from "./parts.js";
import { measureProbeLoad } from "./probeLoad.js";
import { summariseProfiles, type ProfileWindow } from "./profile.js";
import { ratio, Report } from "./report.js";
import { measureEndpointPropagation, measureProxyThroughput } from "./serviceProxy.js";
import { measureScaleUp, type ScaleUpResult } from "./scaleUp.js";
import { measureLoadAlone } from "./loadAlone.js";
import type { PartPauses } from "./pauses.js";
import { compileForProcesses } from "../test/harness/buildForProcesses.js";

/** Where the bench compiles src/ for the parts it starts (its own folder: a test run may be compiling its own). */
const BENCH_DIST = new URL("../.bench-dist", import.meta.url).pathname;

const argv = process.argv.slice(2);
// The parts run the compiled JavaScript, as the installed package does (bin/run.js): through tsx each process
// would also hold the compiler (~50 MiB of RSS each) and spend a second of CPU compiling at start.
const compiled = !argv.includes("--growth") && await compileForProcesses(BENCH_DIST);
if (compiled) process.env.COX_DIST_DIR = BENCH_DIST;
if (argv.includes("--cluster")) {
  await import("./cluster.js"); // issue 15's figures: R1 vs R3, 1–3 actor hosts, fault 1 (it exits when done)
}
if (argv.includes("--growth")) {
  // Only the table, from the history: nothing is run, nothing appended.
  process.stdout.write(`${growthTable(readHistory(), gitState().commit)}\n`);
  process.exit(0);
}
const coldOnly = argv.includes("--cold");
const mode: Mode = argv.includes("--big") ? "big" : argv.includes("--quick") || coldOnly ? "quick" : "full";
const profile = argv.includes("--profile");
const networkOnly = argv.includes("--network");
const say = (s: string) => process.stdout.write(`${s}\n`);
const began = performance.now();
const git = gitState();
const startedOn = machine();
/** Sizes per mode; `scaleUpMin` caps each scale-up, `deadlineMin` the whole run (both in minutes). */
const SIZES_BY_MODE = {
  quick: { ceiling: { awaited: 2_000, entities: 200, perEntity: 20 }, nodes: 100, pods: 1_000, latencySeconds: 5, failoverRuns: 3, history: [100_000], scaleUpMin: 3, deadlineMin: 15 },
  full: { ceiling: { awaited: 10_000, entities: 1_000, perEntity: 50 }, nodes: 1_000, pods: 10_000, latencySeconds: 15, failoverRuns: 5, history: [100_000, 1_000_000], scaleUpMin: 20, deadlineMin: 60 },
  big: { ceiling: { awaited: 10_000, entities: 1_000, perEntity: 50 }, nodes: 10_000, pods: 100_000, latencySeconds: 15, failoverRuns: 0, history: [], scaleUpMin: 45, deadlineMin: 100 },
};
const SIZES = SIZES_BY_MODE[mode];
const deadlineArg = argv.includes("--deadline") ? Number(argv[argv.indexOf("--deadline") + 1]) : NaN;
const deadlineAt = began + 60_000 * (deadlineArg > 0 ? deadlineArg : SIZES.deadlineMin);
const remainingMs = () => deadlineAt - performance.now();
const LEASE_MS = 1_000;
const LOADED_RATE = 1_000;
/** Requests/s to each of 3b's floors beside its commands (an echo, and an append then an answer) on the busy machine. */
const FLOOR_RATE = 200;
/**
 * Seconds 3b's loads run before its scale command, measured apart: a fresh system's first second of them had a p99 of
 * ~150 ms even with no scale-up beside it (21–35 ms after it), the parts' code for them not yet compiled; figure 3's
 * host has run 200/s for its whole length before its 1,000/s run is measured.
 */
const WARM_SECONDS = 3;
const report = new Report(say);
say(`parts run ${compiled ? "the compiled JavaScript (as installed)" : "through tsx (the compile failed)"}`);
const results: Record<string, unknown> = { mode, git, machine: startedOn, at: new Date().toISOString() };
/** What the deadlines cut short: a scale-up stopped at its cap, or a stage not reached. */
const cut: string[] = [];

/** Runs `body` on a fresh nats-server, so one figure's stream never weighs on another's. */
async function onServer<T>(body: (s: BenchServer) => Promise<T>): Promise<T> {
  const s = await startBenchServer();
  try {
    return await body(s);
  } finally {
    await s.stop();
  }
}

/** Runs a stage unless the run's deadline has passed (then says so and records it as cut); a failure is recorded too. */
async function stage(title: string, body: () => Promise<void>): Promise<void> {
  if (networkOnly && !title.startsWith("9.")) return;
  if (coldOnly && !title.startsWith("5.")) return;
  if (remainingMs() <= 0) {
    cut.push(`${title.split(":")[0]}: not reached`);
    say(`${title}: not reached (deadline)`);
    return;
  }
  say(title);
  try {
    await body();
  } catch (err) {
    // A stage that breaks (a part that never became ready, a server that died) costs its figures, not the run's line.
    cut.push(`${title.split(":")[0]}: failed: ${(err as Error).message.split("\n")[0]}`);
    say(`   failed: ${(err as Error).message}`);
  }
}

/**
 * One scale-up of this run's size (or of `size`), bounded by the caps; with `load`, command latency offered during
 * it; the read model's bytes measured while it holds the pods unless there is a load or a `size`.
 */
function scaleUp({ size, ...opts }: { profileDir?: string; load?: LoadOptions; size?: typeof SIZES }) {
  const { nodes, pods, scaleUpMin } = size ?? SIZES;
  return onServer((s) => measureScaleUp(s, {
    nodes, pods, heartbeatMs: 5_000, timeoutMs: Math.min(scaleUpMin * 60_000, remainingMs()), say,
    whileHolding: opts.load || size ? undefined : readModelBytes, ...opts,
  }));
}

/** `--big`: the full-size scale-ups run beside figure 2, just before and after it, for a same-hour comparison. */
const pair: (ScaleUpCost & { when: string })[] = [];

/**
 * `--big`: one full-size scale-up beside figure 2 (`when`: before or after it), kept in `pair` when it completes. One
 * that does not complete costs the comparison a run, not the line: it is reported, and the line stays complete.
 */
async function pairStage(when: "before" | "after"): Promise<void> {
  if (mode !== "big") return;
  const full = SIZES_BY_MODE.full;
  await stage(`2p. the pair ${when} figure 2: ${full.nodes} simulated nodes, RC 0 → ${full.pods} pods`, async () => {
    const r = await scaleUp({ size: full });
    if (!r.asked || !r.complete) {
      const reached = r.asked ? `stopped at ${r.running} of ${r.pods} Running` : `${r.readyNodes} of ${r.nodes} nodes Ready, no pod asked for`;
      report.row(`2p the pair ${when}`, `not complete: ${reached}`, "left out of the comparison");
      return;
    }
    pair.push({ when, podsPerSec: r.podsPerSec, cpuMsPerPod: r.cpuMsPerPod.total ?? NaN });
    report.row(`2p the pair ${when}, pods/s`, `${r.podsPerSec}`, `${r.pods} pods on ${r.nodes} nodes; CPU per pod ${r.cpuMsPerPod.total} ms`);
  });
}

/** `--big`: figure 2 beside the mean of its pair, the issue's "within 20 %" measured in one hour. */
function reportPair(big: ScaleUpResult | undefined): void {
  if (mode !== "big" || !big?.complete) return; // figure 2's own rows say how far it got
  const g = pairedGrowth({ podsPerSec: big.podsPerSec, cpuMsPerPod: big.cpuMsPerPod.total ?? NaN }, pair);
  if (!g) {
    report.row("2 pods/s ÷ the pair's", "no pair run completed", "goal ≥ 0.8, within 20 %", "");
    return;
  }
  const runs = pair.map((p) => p.when).join(" and ");
  report.row("2 pods/s ÷ the pair's", `${g.podsPerSecShare}`, `pair ${g.pairPodsPerSec} pods/s (${runs} it, this run; ${g.podsPerSecShareLow} of the faster one); goal ≥ 0.8, within 20 %`, ratio(g.podsPerSecShare, 0.8, "≥"));
  report.row("2 CPU per pod ÷ the pair's", `×${g.cpuFactor}`, `pair ${g.pairCpuMsPerPod} ms per pod; 1 is flat as the cluster grows`);
  report.figure("scaleUpPair", { ...g });
}

/** The rows of figure 2 (and 4, 7) of a scale-up that got as far as asking for the pods. */
function reportScaleUp(scale: ScaleUpResult, ceilingPerSec: number): void {
  const reached = scale.complete ? "" : ` (deadline: ${scale.running} of ${scale.pods} Running)`;
  report.row("2 scale-up, all Running", `${scale.seconds} s${reached}`, `${scale.nodes} nodes, ${scale.pods} pods`);
  report.row("2 scale-up, pods/s", `${scale.podsPerSec}`, "goal ≥ 1000", ratio(scale.podsPerSec, 1_000, "≥"));
  report.row("2 scale-up, events/s", `${scale.eventsPerSec} (${scale.eventsPerPod}/pod)`, `ceiling ${ceilingPerSec}; goal ≥ 50 %`, ratio(scale.eventsPerSec, ceilingPerSec * 0.5, "≥"));
  const cpu = Object.entries(scale.cpuMsPerPod).filter(([k]) => k !== "total").map(([k, v]) => `${k} ${v}`).join(", ");
  report.row("2 scale-up, CPU per pod", `${scale.cpuMsPerPod.total} ms`, `${cpu}; 1000 pods/s on 2 cores needs ≤ 2 ms`, ratio(scale.cpuMsPerPod.total ?? NaN, 2, "≤"));
  const offMain = Object.entries(scale.offMainPercent).map(([k, v]) => `${k} ${v} %`).join(", ");
  report.row("2 of each part's CPU, off its main thread", offMain, "V8's helper threads (GC's parallel scavenges and concurrent marking, compiles) and libuv's pool (zlib)");
  report.row("4 watch lag p50", `${scale.watchLag.p50ms} ms`, `${scale.watchLag.samples} events`);
  report.row("4 watch lag p99", `${scale.watchLag.p99ms} ms`, "goal ≤ 100 ms", ratio(scale.watchLag.p99ms, 100, "≤"));
  report.row("4 slow consumers at the server", `${scale.slowConsumers}`, "clients nats-server dropped messages for");
  const byPart = (m: Record<string, number>) => Object.entries(m).filter(([k]) => k !== "total").map(([k, v]) => `${k} ${Number.isNaN(v) ? "exited" : v}`).join(", ");
  report.row("7 RSS of the parts", `${scale.rssMiB.total} MiB`, `${byPart(scale.rssMiB)}; goal ≤ 600 MiB`, ratio(scale.rssMiB.total ?? NaN, 600, "≤"));
  report.row("7 PSS of the parts (shared pages once)", `${scale.pssMiB.total} MiB`, byPart(scale.pssMiB));
  const holding = scale.holding as Awaited<ReturnType<typeof readModelBytes>> | undefined;
  if (holding) report.row("7 read model bytes/pod", `${holding.bytesPerPod} B`, "goal ≤ 2048 B", ratio(holding.bytesPerPod, 2_048, "≤"));
  report.figure("scaleUp", {
    nodes: scale.nodes, pods: scale.pods, running: scale.running, seconds: scale.seconds, podsPerSec: scale.podsPerSec,
    eventsPerSec: scale.eventsPerSec, eventsPerPod: scale.eventsPerPod, ceilingShare: Math.round((scale.eventsPerSec / ceilingPerSec) * 1000) / 1000,
  });
  report.figure("watchLag", { ...scale.watchLag, slowConsumers: scale.slowConsumers });
  report.figure("cpuPerPod", Object.fromEntries(Object.entries(scale.cpuMsPerPod).map(([k, v]) => [`${k}Ms`, v])));
  report.figure("cpuOffMain", Object.fromEntries(Object.entries(scale.offMainPercent).map(([k, v]) => [`${k}Percent`, v])));
  const keyedMiB = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [`${k}MiB`, v]));
  report.figure("rss", keyedMiB(scale.rssMiB));
  report.figure("pss", keyedMiB(scale.pssMiB));
  report.figure("readModel", { bytesPerPod: holding?.bytesPerPod });
  reportPauses("2", "pauses", scale.pauses);
}

/** Each part's GC share and event-loop delay over a scale-up, from its /metrics (`label` starts the rows, `key` the figures). */
function reportPauses(label: string, key: string, pauses: Record<string, PartPauses> | undefined): void {
  if (!pauses || Object.keys(pauses).length === 0) return;
  const each = (show: (p: PartPauses) => string) => Object.entries(pauses).map(([part, p]) => `${part} ${show(p)}`).join(", ");
  report.row(`${label} GC share of the wall time`, each((p) => `${p.gcPercent} %`), `collections over 10 ms: ${each((p) => String(p.gcOver10ms))}`);
  report.row(`${label} event-loop delay p99 / max`, `${each((p) => `${p.loopP99ms} / ${p.loopMaxMs}`)} ms`, "what a message arriving at a part waits behind at worst");
  report.figure(key, Object.fromEntries(Object.entries(pauses).flatMap(([part, p]) => [
    [`${part}GcPercent`, p.gcPercent], [`${part}GcOver10ms`, p.gcOver10ms], [`${part}LoopP99ms`, p.loopP99ms], [`${part}LoopMaxMs`, p.loopMaxMs],
  ])));
}

/** How to show a latency run's p99: beside the 20 ms goal and what floors it (`floors`), or beside a `note`. */
interface LatencyRows {
  goal?: boolean;
  floors?: string[];
  note?: string;
}

/** The rows of one open-loop latency run. */
function reportLatency(label: string, key: string, r: OpenLoopResult, { goal = false, floors = [], note = "" }: LatencyRows = {}): void {
  const l = r.latency;
  report.row(`${label} p50 / p90`, `${l.p50ms} / ${l.p90ms} ms`, `achieved ${r.achievedPerSec}/s of ${r.offeredPerSec}/s, ${r.failures} failed (${r.unanswered} unanswered in 10 s), ${l.samples} requests`);
  const floor = [...floors, ...(Number.isNaN(appendP99Ms) ? [] : [`one raw append: ${appendP99Ms} ms`])];
  report.row(`${label} p99`, `${l.p99ms} ms`, goal ? `goal ≤ 20 ms${floor.length > 0 ? ` (${floor.join("; ")})` : ""}` : note, goal ? ratio(l.p99ms, 20, "≤") : "");
  report.row(`${label} p99.9 / max`, `${l.p999ms} / ${l.maxMs} ms`, `the client itself sent late by p99 ${r.sendLate.p99ms} ms, max ${r.sendLate.maxMs} ms`);
  report.figure(key, { ...l, achievedPerSec: r.achievedPerSec, failures: r.failures, unanswered: r.unanswered, sendLateP99ms: r.sendLate.p99ms, sendLateMaxMs: r.sendLate.maxMs });
}

/** Prints and keeps the top five self-time functions of each part's profile while the scale-up ran (`window`). */
function reportProfile(dir: string, window?: ProfileWindow): void {
  const hot = summariseProfiles(dir, 5, window);
  results.profile = Object.fromEntries(Object.entries(hot).map(([part, p]) => [part, { busyPercent: p.busyPercent, top: p.hot.map(({ fn, where, percent }) => ({ fn, where, percent })) }]));
  say(`   flame-graph-ready profiles (Chrome DevTools, speedscope): ${dir}/<part>/*.cpuprofile`);
  for (const [part, p] of Object.entries(hot)) {
    say(`   profile ${part}: ${p.busyPercent} % busy of ${(p.wallMs / 1000).toFixed(0)} s${window ? " (the scale-up: the pods asked for until all Running)" : ""}`);
    for (const h of p.hot) say(`     ${String(h.percent).padStart(5)} %  ${h.fn}  ${h.where}`);
  }
}

/** Figure 10: the cluster DNS server's queries/s and p99 beside a UDP echo on the same loopback. */
async function dnsStage(): Promise<void> {
  const services = mode === "quick" ? 1_000 : 10_000;
  await stage(`10. cluster DNS: ${services} services and pods, 64 UDP queries in flight (A, SRV, pod, NXDOMAIN in turn)`, async () => {
    const r = await measureDns({ services, concurrency: 64, seconds: mode === "quick" ? 5 : 15 });
    results.dns = r;
    report.row("10 DNS queries/s", `${r.dns.perSec}`, `ceiling: UDP echo ${r.echo.perSec}/s; ${r.dns.lost} lost`, `${(r.dns.perSec / r.echo.perSec).toFixed(2)} of echo`);
    report.row("10 DNS p50 / p99", `${r.dns.p50ms} / ${r.dns.p99ms} ms`, `UDP echo p50 / p99 ${r.echo.p50ms} / ${r.echo.p99ms} ms at the same depth`);
    report.figure("dns", { perSec: r.dns.perSec, p50ms: r.dns.p50ms, p99ms: r.dns.p99ms, echoPerSec: r.echo.perSec, echoP99ms: r.echo.p99ms });
  });
}

if (argv.includes("--dns")) {
  // Only figure 10; nothing appended to the history.
  await dnsStage();
  say(`\n${report.table()}`);
  process.exit(0);
}

say(`benchmarks (${mode}) on ${startedOn.cores} cores, ${startedOn.memoryGiB} GiB, node ${process.version}, load ${startedOn.loadAverage.join(" ")}; commit ${git.commit.slice(0, 7)}${git.dirty ? " (dirty)" : ""}`);
let ceilingPerSec = NaN;
/** The p99 of one raw append at the loaded rate (figure 1), the floor under figure 3's p99. */
let appendP99Ms = NaN;
await stage("1. ceiling: raw JetStream appends, event-store message size and guards", async () => {
  const ceiling = await onServer((s) => measureCeiling(s, { ...SIZES.ceiling, openLoop: { rate: LOADED_RATE, seconds: SIZES.latencySeconds } }));
  results.ceiling = ceiling;
  ceilingPerSec = ceiling.pipelinedPerSec;
  appendP99Ms = ceiling.openLoop?.p99ms ?? NaN;
  report.row("1 ceiling, awaited one by one", `${ceiling.awaitedPerSec} events/s`, `${ceiling.messageBytes}-byte events`);
  report.row("1 ceiling, pipelined", `${ceiling.pipelinedPerSec} events/s`, `${SIZES.ceiling.entities} entities`);
  if (ceiling.openLoop) {
    const l = ceiling.openLoop;
    report.row(`1 ceiling, one append at ${l.rate}/s, open loop p50 / p99`, `${l.p50ms} / ${l.p99ms} ms`, `max ${l.maxMs} ms; figure 3 cannot beat it`);
  }
  report.figure("ceiling", { awaitedPerSec: ceiling.awaitedPerSec, pipelinedPerSec: ceiling.pipelinedPerSec, openLoopP50ms: ceiling.openLoop?.p50ms, openLoopP99ms: ceiling.openLoop?.p99ms });
});

await pairStage("before");
let figure2: ScaleUpResult | undefined;
await stage(`2. scale-up: ${SIZES.nodes} simulated nodes, RC 0 → ${SIZES.pods} pods (4. watch lag and 7. memory from the same run)`, async () => {
  const profileDir = profile ? mkdtempSync(join(tmpdir(), "cox-prof-")) : undefined;
  const scale = await scaleUp(profileDir ? { profileDir } : {});
  results.scaleUp = scale;
  if (scale.asked) figure2 = scale;
  if (scale.asked) reportScaleUp(scale, ceilingPerSec);
  else {
    report.row("2 scale-up", `deadline with ${scale.readyNodes} of ${scale.nodes} nodes Ready`, "no pod asked for");
    report.figure("scaleUp", { nodes: scale.nodes, pods: scale.pods, readyNodes: scale.readyNodes, running: 0 });
  }
  if (!scale.complete) cut.push(`2: stopped at ${scale.running} of ${scale.pods} Running`);
  if (profileDir) reportProfile(profileDir, scale.asked ? scale.profileWindow : undefined);
});
await pairStage("after");
reportPair(figure2);

await stage("3. command latency, idle actor host: open loop, from each request's intended send time", async () => {
  results.commandLatency = await onServer(async (s) => {
    const host = await startBenchPart("actors", s.url, "bench", ["actors"], "actor host ready");
    try {
      const load = commandLoad(await s.connect(), "bench", "idle");
      await load.prepare();
      const out = [];
      for (const rate of [200, 1_000]) {
        const r = await load.run(rate, SIZES.latencySeconds);
        out.push(r);
        reportLatency(`3 command at ${rate}/s, idle`, `commandIdle${rate}`, r, { goal: rate === 1_000 });
      }
      return out;
    } finally {
      await host.stop();
    }
  });
});

/** What a load's floors measured beside it, for its row's note. Pure. */
function floorNotes(floor?: OpenLoopResult, appendFloor?: OpenLoopResult): string[] {
  return [
    ...(floor ? [`a bare request-reply beside it: ${floor.latency.p99ms} ms`] : []),
    ...(appendFloor ? [`a request answered after one guarded append: ${appendFloor.latency.p99ms} ms`] : []),
  ];
}

await stage(`3b. command latency at ${LOADED_RATE}/s during a second scale-up (${SIZES.nodes} nodes, 0 → ${SIZES.pods} pods) on the same actor host`, async () => {
  const scale = await scaleUp({ load: { rate: LOADED_RATE, tag: "busy", floorRate: FLOOR_RATE, warmSeconds: WARM_SECONDS } });
  results.scaleUpUnderLoad = scale;
  if (!scale.complete) cut.push(`3b: its scale-up stopped at ${scale.running} of ${scale.pods} Running`);
  if (!scale.asked || !scale.commandsDuring) return;
  const { floorDuring: floor, appendFloorDuring: appendFloor } = scale;
  const floors = floorNotes(floor, appendFloor);
  reportLatency(`3b command at ${LOADED_RATE}/s during the scale-up`, "commandDuringScaleUp", scale.commandsDuring, { goal: true, floors });
  if (floor) reportLatency(`3b floor, a bare request-reply at ${FLOOR_RATE}/s`, "floorDuringScaleUp", floor, { note: "to a process that only echoes, during the same scale-up: no actor host, no append" });
  if (appendFloor) reportLatency(`3b append floor at ${FLOOR_RATE}/s`, "appendFloorDuringScaleUp", appendFloor, { note: "to a process that appends each request to a stream of its own, then answers: no actor host; no command that stores an event beats it" });
  if (scale.loadWarmUp) {
    reportLatency(`3b warm-up, the same commands for ${WARM_SECONDS} s before the scale-up`, "commandWarmUp", scale.loadWarmUp.commands, { note: "a fresh system's first commands of this kind, before the scale-up; not in the goal's figure" });
  }
  reportPauses("3b", "pausesDuringLoad", scale.pauses);
  const reached = scale.complete ? "" : ` (deadline: ${scale.running} of ${scale.pods} Running)`;
  report.row("3b that scale-up, pods/s", `${scale.podsPerSec}${reached}`, `${scale.seconds} s with the commands beside it; ${scale.slowConsumers} slow consumers at the server`);
  report.figure("scaleUpUnderLoad", { podsPerSec: scale.podsPerSec, seconds: scale.seconds, running: scale.running, slowConsumers: scale.slowConsumers });
});

await stage(`3c. the same loads with no scale-up: ${SIZES.nodes} nodes Ready, no pod asked for`, async () => {
  if (mode === "big") {
    say("   (not at --big: the full run measures it)");
    return;
  }
  const seconds = Math.max(1, Math.min(2 * SIZES.latencySeconds, (remainingMs() - 60_000) / 1000)); // the parts' start and the warm-up come first
  const r = await onServer((s) => measureLoadAlone(s, {
    nodes: SIZES.nodes, heartbeatMs: 5_000, seconds, timeoutMs: Math.min(SIZES.scaleUpMin * 60_000, remainingMs()),
    load: { rate: LOADED_RATE, tag: "alone", floorRate: FLOOR_RATE, warmSeconds: WARM_SECONDS },
  }));
  results.loadAlone = r;
  if (!r.loads) {
    report.row("3c", `deadline with ${r.readyNodes} of ${r.nodes} nodes Ready`, "no load offered");
    cut.push(`3c: ${r.readyNodes} of ${r.nodes} nodes Ready by the deadline`);
    return;
  }
  const { commands, floor, appendFloor } = r.loads;
  const floors = floorNotes(floor, appendFloor);
  reportLatency(`3c command at ${LOADED_RATE}/s, no scale-up`, "commandNoScaleUp", commands, { note: `3b's system and loads without its scale-up, after the same warm-up${floors.length > 0 ? ` (${floors.join("; ")})` : ""}` });
  if (floor) report.figure("floorNoScaleUp", { ...floor.latency });
  if (appendFloor) report.figure("appendFloorNoScaleUp", { ...appendFloor.latency });
  report.row("3c CPU of the parts and nats-server meanwhile, cores", `${r.totalCores}`,
    `${Object.entries(r.cores).map(([name, c]) => `${name} ${c}`).join(", ")}; the nodes' heartbeats and the floors' traffic included, the bench's own load threads and responders not`);
  report.figure("loadAloneCores", { ...r.cores, total: r.totalCores });
});

await stage(`8. probe load: ${SIZES.pods} simulated pods with a readiness probe every second, steady state`, async () => {
  const quickRun = mode === "quick";
  const probes = await onServer((s) => measureProbeLoad(s, { nodes: SIZES.nodes, pods: SIZES.pods, windowSeconds: quickRun ? 10 : 30, timeoutMs: Math.min(quickRun ? 90_000 : 1_200_000, remainingMs()), say }));
  results.probeLoad = probes;
  report.row("8 probe load, steady events/s", `${probes.steadyEventsPerSec} (${probes.steadyEvents} in ${probes.windowSeconds} s)`,
    `${probes.probesPerSec} probes/s; goal ≈ 0`, probes.steadyEvents === 0 ? "✓" : "✗");
  report.row("8 probe load, scale-up to Running", `${probes.scaleUpSeconds} s, ${probes.eventsPerPod} events/pod`, "figure 2 is the same scale-up without probes");
  report.figure("probeLoad", { steadyEventsPerSec: probes.steadyEventsPerSec, steadyEvents: probes.steadyEvents, scaleUpSeconds: probes.scaleUpSeconds });
});

await stage("9. service proxy: HTTP through the proxy beside a direct connection; endpoint propagation", async () => {
  const seconds = mode === "quick" || networkOnly ? 5 : 15;
  const t = await measureProxyThroughput({ seconds, concurrency: 16 });
  report.row("9 direct to the pod, requests/s", `${t.direct.perSec}`, `16 keep-alive connections, ${seconds} s; p99 ${t.direct.latency.p99ms} ms`);
  report.row("9 through the proxy, requests/s", `${t.proxied.perSec}`, "goal ≥ 50 % of direct", ratio(t.proxied.perSec, t.direct.perSec * 0.5, "≥"));
  report.row("9 through the proxy, p50 / p99", `${t.proxied.latency.p50ms} / ${t.proxied.latency.p99ms} ms`, `direct ${t.direct.latency.p50ms} / ${t.direct.latency.p99ms} ms`);
  report.figure("serviceProxy", { directPerSec: t.direct.perSec, proxiedPerSec: t.proxied.perSec, share: t.share, directP99ms: t.direct.latency.p99ms, proxiedP99ms: t.proxied.latency.p99ms });
  const pods = mode === "quick" || networkOnly ? 100 : 300;
  const prop = await onServer((s) => measureEndpointPropagation(s, { pods, step: 5 }));
  report.row("9 endpoint propagation p50", `${prop.whole.p50ms} ms`, `pod Ready in the view → in the proxy's rotation; ${prop.whole.samples} pods, 5 at a time`);
  report.row("9 endpoint propagation p99", `${prop.whole.p99ms} ms`, "goal ≤ 100 ms", ratio(prop.whole.p99ms, 100, "≤"));
  report.row("9 of which the proxy, p50 / p99", `${prop.proxyPart.p50ms} / ${prop.proxyPart.p99ms} ms`, "Endpoints applied by the view → served");
  report.figure("endpointPropagation", { ...prop.whole, proxyP99ms: prop.proxyPart.p99ms });
  results.serviceProxy = { throughput: t, propagation: prop };
});

if (SIZES.failoverRuns > 0) await stage(`6. failover: three controllers processes, lease ${LEASE_MS} ms, median of ${SIZES.failoverRuns}`, async () => {
  const failover = await onServer((s) => measureFailover(s, { runs: SIZES.failoverRuns, leaseMs: LEASE_MS }));
  results.failover = failover;
  report.row("6 leaderless gap, SIGTERM", `${failover.gracefulMedianMs} ms`, "goal ≤ 50 ms", ratio(failover.gracefulMedianMs, 50, "≤"));
  report.row("6 leaderless gap, kill -9", `${failover.crashMedianMs} ms`, `goal ≤ lease + 500 = ${LEASE_MS + 500} ms`, ratio(failover.crashMedianMs, LEASE_MS + 500, "≤"));
  report.figure("failover", { gracefulMs: failover.gracefulMedianMs, crashMs: failover.crashMedianMs });
});

if (SIZES.history.length > 0) await stage("5. cold start of the API process", async () => {
  const cold = [];
  const historyArg = argv.includes("--history") ? Number(argv[argv.indexOf("--history") + 1]) : NaN;
  for (const events of coldOnly && historyArg > 0 ? [historyArg] : SIZES.history) {
    const r = await onServer((s) => measureColdStart(s, events));
    cold.push(r);
    report.row(`5 cold start, ${events} events, no checkpoint`, `${r.withoutCheckpoint.readModelMs} ms`, `${r.withoutCheckpoint.eventsPerSec} events/s; ${r.withoutCheckpoint.wallMs} ms from spawn`);
    report.row(`5 cold start, ${events} events, checkpoint`, `${r.withCheckpoint.readModelMs} ms`, `${r.livePods} live of ${r.pods} pods; ${r.withCheckpoint.wallMs} ms from spawn`,
      `${(r.withCheckpoint.readModelMs / r.withoutCheckpoint.readModelMs).toFixed(2)} of no-checkpoint`);
    report.figure(`coldStart${events}`, { noCheckpointMs: r.withoutCheckpoint.readModelMs, checkpointMs: r.withCheckpoint.readModelMs });
  }
  results.coldStart = cold;
});

await dnsStage();

const line: HistoryLine = {
  at: results.at as string, commit: git.commit, dirty: git.dirty, mode, parts: compiled ? "compiled" : "tsx", machine: startedOn, loadAverageAtEnd: machine().loadAverage,
  ...(networkOnly ? { only: "9 service proxy" } : coldOnly ? { only: "5 cold start" } : {}), seconds: Math.round((performance.now() - began) / 1000), complete: cut.length === 0, ...(cut.length ? { cut } : {}), figures: report.figures, table: report.rows,
  ...(results.profile ? { profile: results.profile as HistoryLine["profile"] } : {}),
};
Object.assign(results, { table: report.rows, figures: report.figures, seconds: line.seconds, complete: line.complete, cut });
say("");
say(report.table());
if (mode === "big") say(`\nhow the figures grow with the cluster (this commit where run, else the newest run of that size):\n${growthTable([...readHistory(), line], git.commit)}`);
const dir = new URL("./results/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL("latest.json", dir), `${JSON.stringify(results, null, 2)}\n`);
appendHistory(line);
say(`\n${line.seconds} s${line.complete ? "" : ` (incomplete: ${cut.join("; ")})`}; results in bench/results/latest.json, one line appended to ${HISTORY.replace(/^.*\/bench\//, "bench/")}`);
process.exit(0);
