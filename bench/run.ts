/**
 * `npm run bench [-- --quick]`: measures the system on this machine and prints each figure beside the ceiling
 * measured in the same run. Writes bench/results/latest.json. Benchmarks print; they never fail on speed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startBenchServer } from "./benchServer.js";
import { measureCeiling } from "./ceiling.js";
import { measureCommandLatency } from "./commandLatency.js";
import { startCli } from "../test/harness/processes.js";

const quick = process.argv.includes("--quick");
const results: Record<string, unknown> = { machine: { cpus: (await import("node:os")).cpus().length, node: process.version }, quick, at: new Date().toISOString() };
const line = (s: string) => process.stdout.write(`${s}\n`);

const server = await startBenchServer();
try {
  line(`benchmarks (${quick ? "quick" : "full"}) against nats-server at ${server.url}`);
  const ceiling = await measureCeiling(server, quick ? { awaited: 2_000, entities: 200, perEntity: 20 } : { awaited: 10_000, entities: 1_000, perEntity: 50 });
  results.ceiling = ceiling;
  line(`1. ceiling: awaited ${ceiling.awaitedPerSec}/s, pipelined ${ceiling.pipelinedPerSec}/s (${ceiling.messageBytes}-byte events)`);

  const host = startCli("coxswain", ["actors", "--nats", server.url, "--prefix", "bench"]);
  await host.waitFor("actor host ready", 60_000);
  const nc = await server.connect();
  const latency = [];
  for (const rate of [200, 1_000]) {
    const r = await measureCommandLatency(nc, "bench", rate, quick ? 5 : 15);
    latency.push(r);
    line(`3. command latency at ${rate}/s offered (achieved ${r.achievedPerSec}/s): p50 ${r.p50ms} ms, p99 ${r.p99ms} ms (goal p99 ≤ 20 ms at 1,000/s); failures ${r.failures}`);
  }
  results.commandLatency = latency;
  host.child.kill("SIGTERM");
  await host.exited;
} finally {
  await server.stop();
}

const dir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
line(`results written to bench/results/latest.json`);
process.exit(0);
