/**
 * What a spec file of process-node tests shares: one nats-server for the file, and what each test starts (node
 * agents, servers, stream links) ended after it, and the agents' state folders removed after the file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startNodeAgents, type NodeAgents, type NodeAgentsOptions } from "../../src/node/run.js";
import { startTestNats, type TestNats } from "./natsServer.js";

/** The file's nats-server and the tests' node agents, registered with vitest's hooks. */
export interface ProcessNodes {
  /** The connection to the file's nats-server (after `beforeAll`). */
  nc(): NatsConnection;
  /** A fresh state folder, removed after the file. */
  stateDir(): string;
  /** Starts node agents on the file's server; they are stopped after the test. */
  start(opts: NodeAgentsOptions): Promise<NodeAgents>;
  /** Runs `cleanup` after the test, once its agents have stopped. */
  afterThis(cleanup: () => unknown): void;
  /** Leaves `agents` alone after the test (a test that crashed them). */
  forget(agents: NodeAgents): void;
}

/** Registers the hooks of a process-node spec file and returns what its tests use. */
export function processNodes(): ProcessNodes {
  let nats: TestNats;
  let nc: NatsConnection;
  const running: NodeAgents[] = [];
  const dirs: string[] = [];
  const cleanups: (() => unknown)[] = [];
  beforeAll(async () => {
    nats = await startTestNats();
    nc = await nats.connect();
  });
  afterAll(async () => {
    await nats.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const a of running.splice(0)) await a.stop();
    for (const c of cleanups.splice(0)) await c();
  });
  return {
    nc: () => nc,
    stateDir() {
      const dir = mkdtempSync(join(tmpdir(), "cox-node-"));
      dirs.push(dir);
      return dir;
    },
    async start(opts) {
      const agents = await startNodeAgents(nc, opts);
      running.push(agents);
      return agents;
    },
    afterThis: (cleanup) => void cleanups.push(cleanup),
    forget: (agents) => void running.splice(running.indexOf(agents), 1),
  };
}
