/** Test harness: a real nats-server per test file, on a free port with a temporary store, that a test can kill -9 and restart. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type ConnectionOptions, type NatsConnection } from "@nats-io/transport-node";
import { ManagedNatsServer } from "../../src/nats/managedServer.js";

/** A started server plus what a test needs to use it. */
export interface TestNats {
  server: ManagedNatsServer;
  url: string;
  storeDir: string;
  /** Opens a new client connection (closed again by `cleanup`), optionally as a user. */
  connect(opts?: Partial<ConnectionOptions>): Promise<NatsConnection>;
  /** SIGKILL the server, then start it again on the same port and store. */
  crashAndRestart(): Promise<void>;
  /** Closes every connection, stops the server and removes its store. */
  cleanup(): Promise<void>;
}

/** Starts a fresh nats-server with JetStream for one test file; `configText` becomes its configuration file. */
export async function startTestNats(opts: { configText?: string } = {}): Promise<TestNats> {
  const storeDir = mkdtempSync(join(tmpdir(), "cox-nats-"));
  let configFile: string | undefined;
  if (opts.configText) {
    configFile = join(storeDir, "test.conf");
    writeFileSync(configFile, `host: 127.0.0.1\n${opts.configText}`);
  }
  const server = new ManagedNatsServer({ port: 0, storeDir: join(storeDir, "js"), ...(configFile ? { configFile } : {}) });
  await server.start();
  const conns: NatsConnection[] = [];
  const t: TestNats = {
    server,
    url: server.url,
    storeDir,
    async connect(extra = {}) {
      const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100, ...extra });
      conns.push(nc);
      return nc;
    },
    async crashAndRestart() {
      await server.kill();
      await server.start();
    },
    async cleanup() {
      await Promise.allSettled(conns.map((nc) => nc.close()));
      await server.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** A short unique suffix for stream, bucket and prefix names within one test. */
export function uniqueName(base: string): string {
  return `${base}${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 10_000, everyMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
