/**
 * The cluster DNS server under load: a closed loop of `concurrency` UDP queries in flight (A for services, A for
 * headless services, SRV, pod names and NXDOMAIN, in turn) for `seconds`, against a table of `services` services
 * and as many pods; queries/s and latency percentiles. Beside it, its ceiling: the same client against a UDP echo
 * server on the same loopback (what the transport and the client allow before any DNS work). Methods: docs/benchmarks.md.
 */
import { createSocket, type Socket } from "node:dgram";
import * as packet from "dns-packet";
import { ClusterDns, type DnsService } from "../src/network/dns/records.js";
import { startDnsServer } from "../src/network/dns/server.js";

/** One closed-loop run: queries/s and latency percentiles. */
export interface UdpLoadResult {
  perSec: number;
  answered: number;
  lost: number;
  p50ms: number;
  p99ms: number;
}

/** The DNS figures and their ceiling. */
export interface DnsBenchResult {
  services: number;
  dns: UdpLoadResult;
  echo: UdpLoadResult;
}

const pct = (sorted: number[], q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN) * 1000) / 1000;

function table(services: number): ClusterDns {
  const t = new ClusterDns();
  const list: DnsService[] = Array.from({ length: services }, (_, i) => ({
    namespace: `ns${i % 10}`, name: `svc${i}`, clusterIP: i % 10 === 0 ? null : `127.96.${i >> 8}.${i & 255}`,
    ports: [{ name: "http", port: 80, protocol: "TCP" as const }],
    endpoints: Array.from({ length: 3 }, (_, e) => ({ ip: `127.244.${e}.${i & 255}` })),
  }));
  t.setServices(list);
  t.setPods(Array.from({ length: services }, (_, i) => ({ namespace: `ns${i % 10}`, ip: `127.244.${i >> 8}.${i & 255}` })));
  return t;
}

function queries(services: number): Buffer[] {
  return Array.from({ length: 500 }, (_, q) => {
    const i = (q * 7919) % services;
    const ns = `ns${i % 10}`;
    const [name, type] = [
      [`svc${i}.${ns}.svc.cluster.local`, "A"], [`_http._tcp.svc${i}.${ns}.svc.cluster.local`, "SRV"],
      [`127-244-${i >> 8}-${i & 255}.${ns}.pod.cluster.local`, "A"], [`nope${i}.${ns}.svc.cluster.local`, "A"],
    ][q % 4] as [string, "A" | "SRV"];
    return packet.encode({ type: "query", id: 0, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: "IN" }] });
  });
}

/** A closed loop of `concurrency` in-flight queries from one socket to host:port for `seconds`. */
async function closedLoop(host: string, port: number, bodies: Buffer[], concurrency: number, seconds: number): Promise<UdpLoadResult> {
  const socket: Socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let nextId = 1, lost = 0;
  const end = performance.now() + seconds * 1000;
  const send = () => {
    if (performance.now() >= end) return;
    const id = nextId = (nextId % 65535) + 1;
    const body = Buffer.from(bodies[id % bodies.length] as Buffer);
    body.writeUInt16BE(id, 0);
    sentAt.set(id, performance.now());
    socket.send(body, port, host);
  };
  socket.on("message", (msg) => {
    const at = sentAt.get(msg.readUInt16BE(0));
    if (at === undefined) return;
    sentAt.delete(msg.readUInt16BE(0));
    latencies.push(performance.now() - at);
    send();
  });
  const t0 = performance.now();
  for (let i = 0; i < concurrency; i++) send();
  // A query lost on the way is re-sent in its place once it is a second old, so the loop keeps its depth.
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [id, at] of sentAt) if (now - at > 1000) { sentAt.delete(id); lost++; send(); }
  }, 200);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 200));
  clearInterval(sweep);
  const wall = (performance.now() - t0) / 1000;
  socket.close();
  latencies.sort((a, b) => a - b);
  return { perSec: Math.round(latencies.length / wall), answered: latencies.length, lost, p50ms: pct(latencies, 0.5), p99ms: pct(latencies, 0.99) };
}

/** Runs both loops. Does network I/O on 127.0.0.0/8. */
export async function measureDns(opts: { services: number; concurrency: number; seconds: number }): Promise<DnsBenchResult> {
  const server = await startDnsServer(table(opts.services), "127.53.9.10");
  const echo = createSocket("udp4");
  echo.on("message", (msg, rinfo) => echo.send(msg, rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => echo.bind(0, "127.53.9.11", () => resolve()));
  try {
    const bodies = queries(opts.services);
    const dns = await closedLoop(server.host, server.port, bodies, opts.concurrency, opts.seconds);
    const ceiling = await closedLoop("127.53.9.11", (echo.address()).port, bodies, opts.concurrency, opts.seconds);
    return { services: opts.services, dns, echo: ceiling };
  } finally {
    echo.close();
    await server.close();
  }
}
