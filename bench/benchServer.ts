/** The nats-server every benchmark of one run measures against (a fresh store, a free port). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { freePort, ManagedNatsServer } from "../src/nats/managedServer.js";

/** A started server and a way to connect to it. */
export interface BenchServer {
  url: string;
  server: ManagedNatsServer;
  connect(): Promise<NatsConnection>;
  /** The server's count of slow consumers so far (clients it dropped messages for, or cut off): /varz. */
  slowConsumers(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a server with JetStream on a temporary file store, and its HTTP monitoring on loopback. */
export async function startBenchServer(): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), "cox-bench-"));
  const monitor = await freePort();
  const server = new ManagedNatsServer({ port: 0, storeDir: dir, args: ["-m", String(monitor)] });
  await server.start();
  const conns: NatsConnection[] = [];
  return {
    url: server.url,
    server,
    async connect() {
      const nc = await connect({ servers: server.url, maxReconnectAttempts: -1 });
      conns.push(nc);
      return nc;
    },
    async slowConsumers() {
      const varz = await (await fetch(`http://127.0.0.1:${monitor}/varz`)).json() as { slow_consumers?: number };
      return varz.slow_consumers ?? NaN;
    },
    async stop() {
      await Promise.allSettled(conns.map((c) => c.close()));
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Percentile of sorted numbers. Pure. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
