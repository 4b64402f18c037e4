/** Test harness: a JetStream cluster of real nats-servers on loopback, each of which a test can kill, pause and restart. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type ConnectionOptions, type NatsConnection } from "@nats-io/transport-node";
import { ManagedNatsCluster, planCluster } from "../../src/nats/natsCluster.js";
import { NatsServerFailed, type ManagedNatsServer } from "../../src/nats/managedServer.js";

/** How many times a cluster is planned again when another process took one of its ports before it bound them. */
const PORT_ATTEMPTS = 3;

/** A planned (and maybe started) cluster plus what a test needs to use it. */
export interface TestCluster {
  cluster: ManagedNatsCluster;
  /** Every client URL, comma-separated. */
  url: string;
  server(i: number): ManagedNatsServer;
  /** Opens a client connection to every server of the list (closed again by `cleanup`). */
  connect(opts?: Partial<ConnectionOptions>): Promise<NatsConnection>;
  /** Stops every server and removes the stores. */
  cleanup(): Promise<void>;
}

/**
 * Plans a cluster of `size` servers in a temporary folder; starts them all unless `start` is false. With
 * `noAdvertise` the servers do not tell clients about each other, so a client given one URL stays on that server.
 */
export async function startTestCluster(size = 3, opts: { start?: boolean; configText?: string; noAdvertise?: boolean } = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "cox-cluster-"));
  const configFile = join(dir, "member.conf");
  writeFileSync(configFile, `host: 127.0.0.1\n${opts.noAdvertise ? "cluster { no_advertise: true }\n" : ""}${opts.configText ?? ""}`);
  const cluster = await startOnFreePorts(size, dir, configFile, opts.start ?? true);
  const conns: NatsConnection[] = [];
  return {
    cluster,
    url: cluster.url,
    server: (i) => cluster.servers[i] as ManagedNatsServer,
    async connect(extra = {}) {
      const nc = await connect({ servers: cluster.servers.map((s) => s.url), maxReconnectAttempts: -1, reconnectTimeWait: 100, ...extra });
      conns.push(nc);
      return nc;
    },
    async cleanup() {
      await Promise.allSettled(conns.map((nc) => nc.close()));
      for (const s of cluster.servers) s.resume();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Plans the cluster (free ports probed now, bound by the servers a moment later) and starts it; when another process
 * took one of those ports in between, stops what started and plans again on new ports.
 */
async function startOnFreePorts(size: number, dir: string, configFile: string, start: boolean): Promise<ManagedNatsCluster> {
  for (let attempt = 1; ; attempt++) {
    const cluster = new ManagedNatsCluster(await planCluster({ size, dataDir: dir }), { configFile });
    if (!start) return cluster;
    const started = await Promise.allSettled(cluster.servers.map((s) => s.start()));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (!failed) return cluster;
    await cluster.stop();
    for (const m of cluster.members) rmSync(m.storeDir, { recursive: true, force: true }); // the next plan starts clean
    const raced = failed.reason instanceof NatsServerFailed && /address already in use/i.test(failed.reason.output);
    if (!raced || attempt >= PORT_ATTEMPTS) throw failed.reason;
  }
}
