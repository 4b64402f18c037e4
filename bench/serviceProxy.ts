/**
 * Figure 9, the service proxy. Throughput and latency: HTTP requests on keep-alive connections, closed loop, to a
 * backend process directly and through the proxy (the node agents' `ServiceProxy`, in a process of its own, as in a
 * node agent), same client, same concurrency, same duration. Endpoint propagation: sim node agents (with their
 * proxy) in this process against real actor-host and controllers processes; a Service over an RC scaled up in steps;
 * for each pod, from the moment this process's view shows it Ready to the moment the proxy serves a table with its
 * address (the endpoints controller's hop, the actor host's append and the view's apply in between); and the
 * proxy's own part, from the view applying the Endpoints that list the address to the proxy serving it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import type { NatsConnection } from "@nats-io/transport-node";
import { startNodeAgents } from "../src/node/index.js";
import { startClusterView } from "../src/projections/index.js";
import type { Pod } from "../src/api/pod.js";
import type { EndpointSubset } from "../src/api/service.js";
import { rcManifest } from "../test/harness/system.js";
import type { BenchServer } from "./benchServer.js";
import { LatencyHistogram, type LatencySummary } from "./openLoop.js";
import { nowMs, round, startBenchPart, until, type BenchPart } from "./parts.js";

const net = `127.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
const BACKEND = `require("http").createServer((q, s) => s.end("ok")).listen(18080, process.argv[1], () => console.log("ready"))`;
const PROXY = (root: string) => `const { ServiceProxy } = await import(${JSON.stringify(`${root}src/network/serviceProxy.ts`)});
await new ServiceProxy().update([{ clusterIP: process.argv[1], port: 18081, sessionAffinity: "None", backends: [{ ip: process.argv[2], port: 18080 }] }]);
console.log("ready");`;

/** Spawns `node args…` and resolves once it prints "ready". */
function child(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    c.stdout?.on("data", (d: Buffer) => { if (d.toString().includes("ready")) resolve(c); });
    c.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
}

/** Requests/s and latency of `concurrency` keep-alive connections asking `host:port` for `seconds`. */
async function closedLoop(host: string, port: number, concurrency: number, seconds: number): Promise<{ perSec: number; latency: LatencySummary }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const h = new LatencyHistogram();
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const one = () => new Promise<void>((resolve, reject) => {
    const t = performance.now();
    request({ host, port, agent }, (res) => { res.resume(); res.on("end", () => { h.record(performance.now() - t); done++; resolve(); }); }).on("error", reject).end();
  });
  await Promise.all(Array.from({ length: concurrency }, async () => { while (performance.now() < end) await one(); }));
  agent.destroy();
  return { perSec: Math.round(done / seconds), latency: h.summary() };
}

/** Direct and proxied throughput and latency. */
export async function measureProxyThroughput(opts: { seconds: number; concurrency: number }) {
  const root = new URL("../", import.meta.url).pathname;
  const procs: ChildProcess[] = [];
  try {
    procs.push(await child(["-e", BACKEND, `${net}.10`]));
    procs.push(await child(["--import", "tsx", "--input-type=module", "-e", PROXY(root), `${net}.200`, `${net}.10`]));
    await closedLoop(`${net}.10`, 18080, opts.concurrency, 2); // warm-up of the client and both servers
    await closedLoop(`${net}.200`, 18081, opts.concurrency, 2);
    const direct = await closedLoop(`${net}.10`, 18080, opts.concurrency, opts.seconds);
    const proxied = await closedLoop(`${net}.200`, 18081, opts.concurrency, opts.seconds);
    return { direct, proxied, share: round(proxied.perSec / direct.perSec, 2) };
  } finally {
    for (const p of procs) if (p.pid) process.kill(p.pid, "SIGKILL");
  }
}

const PREFIX = "bench";
const readyIP = (p: Pod | undefined) => (p?.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? p.status.podIP : undefined);

/** Pod Ready (in this process's view) → its address in the proxy's table, for `pods` pods added `step` at a time. */
export async function measureEndpointPropagation(s: BenchServer, opts: { pods: number; step: number }): Promise<{ whole: LatencySummary; proxyPart: LatencySummary }> {
  const parts: BenchPart[] = [];
  const nc: NatsConnection = await s.connect();
  const { view, stop: stopView } = await startClusterView(nc, { prefix: PREFIX, name: "bench-proxy" });
  const readyAt = new Map<string, number>();
  const listedAt = new Map<string, number>();
  const inRotation = new Map<string, number>();
  const offView = view.onChange((c) => {
    const ip = c.resource === "pods" ? readyIP(c.entry?.object as Pod | undefined) : undefined;
    if (ip && !readyAt.has(ip)) readyAt.set(ip, nowMs());
    const subsets = c.resource === "endpoints" ? (c.entry?.object as { subsets?: EndpointSubset[] } | undefined)?.subsets : undefined;
    for (const a of (subsets ?? []).flatMap((x) => x.addresses ?? [])) if (!listedAt.has(a.ip)) listedAt.set(a.ip, nowMs());
  });
  let agents: Awaited<ReturnType<typeof startNodeAgents>> | undefined;
  let offProxy: (() => void) | undefined;
  try {
    parts.push(await startBenchPart("actors", s.url, PREFIX, ["actors"], "actor host ready"));
    parts.push(await startBenchPart("controllers", s.url, PREFIX, ["controllers"], "campaigning"));
    agents = await startNodeAgents(nc, { prefix: PREFIX, view, runtime: "sim", count: 3, heartbeatMs: 1000 });
    offProxy = agents.proxy?.onApplied((table) => {
      const at = nowMs();
      for (const p of table) for (const b of p.backends) if (!inRotation.has(b.ip)) inRotation.set(b.ip, at);
    });
    const send = async (resource: string, name: string, type: string, data: unknown) => {
      const reply = (await nc.request(`${PREFIX}.cmd.${resource}.default.${name}`, JSON.stringify({ apiVersion: "v1", type, data }), { timeout: 10_000 })).json() as { ok: boolean };
      if (!reply.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
    };
    await until(() => view.list("nodes").filter((n) => (n.object as { spec?: { podCIDR?: string } }).spec?.podCIDR).length === 3, 60_000, 100, "three nodes with a podCIDR");
    await send("services", "web", "CreateService", { metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 18090, targetPort: 8080 }] } });
    await send("replicationcontrollers", "web", "CreateReplicationController", rcManifest("web", 0));
    for (let n = opts.step; n <= opts.pods; n += opts.step) {
      await send("replicationcontrollers", "web", "ScaleReplicationController", { replicas: n });
      await until(() => inRotation.size >= n, 60_000, 20, `${n} endpoints in rotation`);
    }
    const whole = new LatencyHistogram();
    const proxyPart = new LatencyHistogram();
    for (const [ip, at] of inRotation) {
      const ready = readyAt.get(ip);
      const listed = listedAt.get(ip);
      if (ready !== undefined) whole.record(at - ready);
      if (listed !== undefined) proxyPart.record(at - listed);
    }
    return { whole: whole.summary(), proxyPart: proxyPart.summary() };
  } finally {
    offView();
    offProxy?.();
    await agents?.stop();
    for (const p of parts.reverse()) await p.stop();
    await stopView();
    await nc.close();
  }
}
