/**
 * `npm run bench [-- --quick] [-- --profile]`: measures the system on this machine and prints each figure beside
 * the ceiling or goal it is measured against in the same run, as a table `figure | value | ceiling/goal | ratio`.
 * Writes bench/results/latest.json. Benchmarks print; they never fail on speed. Methods: docs/benchmarks.md.
 * `--profile` runs the scale-up's parts under node's --cpu-prof and prints their top self-time functions.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBenchServer, type BenchServer } from "./benchServer.js";
import { measureCeiling } from "./ceiling.js";
import { measureColdStart } from "./coldStart.js";
import { measureCommandLatency } from "./commandLatency.js";
import { measureFailover } from "./failover.js";
import { readModelBytes } from "./memory.js";
import { startBenchPart } from "./parts.js";
import { summariseProfiles } from "./profile.js";
import { measureScaleUp } from "./scaleUp.js";

if (process.argv.includes("--cluster")) {
  await import("./cluster.js"); // issue 15's figures: R1 vs R3, 1–3 actor hosts, fault 1 (it exits when done)
}
const quick = process.argv.includes("--quick");
const profile = process.argv.includes("--profile");
const say = (s: string) => process.stdout.write(`${s}\n`);
const began = performance.now();
const results: Record<string, unknown> = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, quick, at: new Date().toISOString() };
const SIZES = quick
  ? { ceiling: { awaited: 2_000, entities: 200, perEntity: 20 }, nodes: 100, pods: 1_000, latencySeconds: 5, failoverRuns: 3, history: [100_000] }
  : { ceiling: { awaited: 10_000, entities: 1_000, perEntity: 50 }, nodes: 1_000, pods: 10_000, latencySeconds: 15, failoverRuns: 5, history: [100_000, 1_000_000] };
const LEASE_MS = 1_000;

/** One row of the table: the value, what it is compared with, and value ÷ that (with ✓ when the goal is met). */
interface Row { figure: string; value: string; against: string; ratio: string }
const rows: Row[] = [];
const row = (figure: string, value: string, against: string, ratio = "") => { rows.push({ figure, value, against, ratio }); say(`  ${figure}: ${value}  (${against}) ${ratio}`); };
const ratio = (x: number, of: number, good: "≥" | "≤") => `${(x / of).toFixed(2)} ${(good === "≥" ? x >= of : x <= of) ? "✓" : "✗"}`;

/** Runs `body` on a fresh nats-server, so one figure's stream never weighs on another's. */
async function onServer<T>(body: (s: BenchServer) => Promise<T>): Promise<T> {
  const s = await startBenchServer();
  try {
    return await body(s);
  } finally {
    await s.stop();
  }
}

say(`benchmarks (${quick ? "quick" : "full"}) on ${cpus().length} cores, node ${process.version}`);

say("1. ceiling: raw JetStream appends, event-store message size and guards");
const ceiling = await onServer((s) => measureCeiling(s, SIZES.ceiling));
results.ceiling = ceiling;
row("1 ceiling, awaited one by one", `${ceiling.awaitedPerSec} events/s`, `${ceiling.messageBytes}-byte events`);
row("1 ceiling, pipelined", `${ceiling.pipelinedPerSec} events/s`, `${SIZES.ceiling.entities} entities`);

say(`2. scale-up: ${SIZES.nodes} simulated nodes, RC 0 → ${SIZES.pods} pods (4. watch lag and 7. memory from the same run)`);
const profileDir = profile ? mkdtempSync(join(tmpdir(), "cox-prof-")) : undefined;
const scale = await onServer((s) => measureScaleUp(s, {
  nodes: SIZES.nodes, pods: SIZES.pods, heartbeatMs: 5_000, timeoutMs: quick ? 90_000 : 1_200_000, say,
  whileHolding: readModelBytes, ...(profileDir ? { profileDir } : {}),
}));
results.scaleUp = scale;
row("2 scale-up, all Running", `${scale.seconds} s`, `${scale.nodes} nodes, ${scale.pods} pods`);
row("2 scale-up, pods/s", `${scale.podsPerSec}`, "goal ≥ 1000", ratio(scale.podsPerSec, 1_000, "≥"));
row("2 scale-up, events/s", `${scale.eventsPerSec} (${scale.eventsPerPod}/pod)`, `ceiling ${ceiling.pipelinedPerSec}; goal ≥ 50 %`, ratio(scale.eventsPerSec, ceiling.pipelinedPerSec * 0.5, "≥"));
row("4 watch lag p50", `${scale.watchLag.p50ms} ms`, `${scale.watchLag.samples} events`);
row("4 watch lag p99", `${scale.watchLag.p99ms} ms`, "goal ≤ 100 ms", ratio(scale.watchLag.p99ms, 100, "≤"));
row("7 RSS of the parts", `${scale.rssMiB.total} MiB`, Object.entries(scale.rssMiB).filter(([k]) => k !== "total").map(([k, v]) => `${k} ${v}`).join(", "));
const holding = scale.holding as Awaited<ReturnType<typeof readModelBytes>> | undefined;
if (holding) row("7 read model bytes/pod", `${holding.bytesPerPod} B`, "goal ≤ 2048 B", ratio(holding.bytesPerPod, 2_048, "≤"));
if (profileDir) {
  const hot = summariseProfiles(profileDir, 8);
  results.profile = hot;
  for (const [part, p] of Object.entries(hot)) {
    say(`   profile ${part}: ${p.busyPercent} % busy of ${(p.wallMs / 1000).toFixed(0)} s`);
    for (const h of p.hot) say(`     ${String(h.percent).padStart(5)} %  ${h.fn}  ${h.where}`);
  }
}

say("3. command latency: open-loop requests against one actor host");
results.commandLatency = await onServer(async (s) => {
  const host = await startBenchPart("actors", s.url, "bench", ["actors"], "actor host ready");
  const nc = await s.connect();
  const out = [];
  try {
    for (const rate of [200, 1_000]) {
      const r = await measureCommandLatency(nc, "bench", rate, SIZES.latencySeconds);
      out.push(r);
      row(`3 command p50 at ${rate}/s`, `${r.p50ms} ms`, `achieved ${r.achievedPerSec}/s, ${r.failures} failed`);
      row(`3 command p99 at ${rate}/s`, `${r.p99ms} ms`, rate === 1_000 ? "goal ≤ 20 ms" : "", rate === 1_000 ? ratio(r.p99ms, 20, "≤") : "");
    }
  } finally {
    await host.stop();
  }
  return out;
});

say(`6. failover: three controllers processes, lease ${LEASE_MS} ms, median of ${SIZES.failoverRuns}`);
const failover = await onServer((s) => measureFailover(s, { runs: SIZES.failoverRuns, leaseMs: LEASE_MS }));
results.failover = failover;
row("6 leaderless gap, SIGTERM", `${failover.gracefulMedianMs} ms`, "goal ≤ 50 ms", ratio(failover.gracefulMedianMs, 50, "≤"));
row("6 leaderless gap, kill -9", `${failover.crashMedianMs} ms`, `goal ≤ lease + 500 = ${LEASE_MS + 500} ms`, ratio(failover.crashMedianMs, LEASE_MS + 500, "≤"));

say("5. cold start of the API process");
const cold = [];
for (const events of SIZES.history) {
  const r = await onServer((s) => measureColdStart(s, events));
  cold.push(r);
  row(`5 cold start, ${events} events, no checkpoint`, `${r.withoutCheckpoint.readModelMs} ms`, `${r.withoutCheckpoint.eventsPerSec} events/s; ${r.withoutCheckpoint.wallMs} ms from spawn`);
  row(`5 cold start, ${events} events, checkpoint`, `${r.withCheckpoint.readModelMs} ms`, `${r.livePods} live of ${r.pods} pods; ${r.withCheckpoint.wallMs} ms from spawn`,
    `${(r.withCheckpoint.readModelMs / r.withoutCheckpoint.readModelMs).toFixed(2)} of no-checkpoint`);
}
results.coldStart = cold;

results.table = rows;
results.seconds = Math.round((performance.now() - began) / 1000);
say("");
say(table(rows));
const dir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
say(`\n${results.seconds as number} s; results written to bench/results/latest.json`);
process.exit(0);

/** A Markdown table of the rows. Pure. */
function table(rs: Row[]): string {
  const head: Row = { figure: "figure", value: "value", against: "ceiling/goal", ratio: "ratio" };
  const cols = ["figure", "value", "against", "ratio"] as const;
  const width = cols.map((c) => Math.max(...[head, ...rs].map((r) => r[c].length)));
  const line = (r: Row) => `| ${cols.map((c, i) => r[c].padEnd(width[i] ?? 0)).join(" | ")} |`;
  return [line(head), `| ${width.map((w) => "-".repeat(w)).join(" | ")} |`, ...rs.map(line)].join("\n");
}
