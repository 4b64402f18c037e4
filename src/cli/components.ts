/**
 * Starting each part of the system with the flags of the CLI, shared by `coxswain up` (all parts in one
 * process) and the standalone subcommands. Each part connects as its own role and announces its protocol.
 * A part's own code is imported when the part starts, so that a process running one part does not hold the code
 * of the others (the actor host, the controllers, the node agents, the read model and the Kubernetes gateway each
 * weigh 5–15 MiB of heap and code once loaded).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { defaultIdentity } from "../election/index.js";
import { createLogger } from "../log.js";
import { connectNats } from "../nats/connect.js";
import { untilReady } from "../nats/untilReady.js";
import { jetStreamReady } from "../events/streams.js";
import { announce } from "../nats/hello.js";
import { keyId, useSealingKey } from "../events/sealing.js";
import { encryptionKeyPath, ensureKeyFile } from "../auth/keyFile.js";
import type { ClusterView } from "../projections/clusterView.js";
import { authOf, dataDirOf, prefixOf, type CommonFlags } from "./config.js";
import type { KubeApi } from "../gateway/index.js";
import type { ReadService } from "../projections/readService.js";
import type { ApiMetrics } from "../projections/metrics.js";
import { named, type Stopper } from "./lifecycle.js";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { clusterRanges } from "../network/ranges.js";
import type { DnsServer } from "../network/dns/server.js";
import { DNS_ADDR_FILE, dnsAddress, readText } from "../network/dns/address.js";

/** Flags every component understands. */
export interface ComponentFlags extends CommonFlags {
  replicas: string;
  leaseDuration?: string;
  nodeGrace?: string;
  evictionTimeout?: string;
  backoffInitial?: string;
  backoffMax?: string;
  backoffReset?: string;
  /** `--cluster-cidr`: the pod range (checked by `clusterRanges`). */
  clusterCidr?: string;
  /** `--service-cluster-ip-range`: the service range. */
  serviceClusterIpRange?: string;
  /** `--metrics-bind-address` (actors, controllers, node, up): where the part serves /metrics. */
  metricsBindAddress?: string;
}

/** A started part: its stoppers (run last-first) and what it offers to others. */
export interface Started<T> {
  value: T;
  stoppers: Stopper[];
}

/**
 * Loads the data folder's encryption key, connects as `user` (a role's credentials from the flags or the data
 * folder) and announces `component`. Waits,
 * with backoff and a line saying so, for a NATS server of `url` to answer and for JetStream to be ready.
 */
export async function joinCluster(url: string, flags: CommonFlags, component: string, user: string): Promise<Started<NatsConnection>> {
  const log = createLogger(component);
  // The key a Secret's events are sealed with: every part of the cluster reads and writes them (src/events/sealing.ts).
  const sealingKey = ensureKeyFile(encryptionKeyPath(dataDirOf(flags)));
  useSealingKey(sealingKey);
  const nc = await untilReady(`NATS at ${url}`, () => connectNats(url, `coxswain-${component}`, authOf(flags, user)), { log });
  void logConnectionStatus(nc, log);
  await untilReady(`JetStream at ${url} (a cluster needs a quorum of its servers and a meta leader)`, () => jetStreamReady(nc), { log });
  const hello = await announce(nc, prefixOf(flags), { component, identity: defaultIdentity(component), sealingKey: keyId(sealingKey) }, {
    onMismatch: (peer) => log.error({ peer }, "a peer speaks an incompatible protocol or seals Secrets with another key"),
  });
  return { value: nc, stoppers: [named(`the ${component} part's NATS connection: its last messages`, () => closeQuietly(nc)), () => hello.stop()] };
}

/** Starts a part, waiting (with backoff, saying so) while its streams and buckets cannot be opened or created yet. */
export function whenReady<T>(component: string, what: string, start: () => Promise<T>): Promise<T> {
  return untilReady(what, start, { log: createLogger(component) });
}

/** The actor host; `--backoff-*` tune CrashLoopBackOff (shorter in tests and demos). */
export async function runActors(nc: NatsConnection, flags: ComponentFlags, extra: { snapshotEvery?: number; maxLive?: number; restAfterMs?: number } = {}) {
  const [{ startActors }, { createActorKinds, DEFAULT_ACTOR_CONFIG }] = await Promise.all([import("../actors/index.js"), import("../actors/registry.js")]);
  const config = {
    backoffInitialMs: Number(flags.backoffInitial ?? DEFAULT_ACTOR_CONFIG.backoffInitialMs),
    backoffMaxMs: Number(flags.backoffMax ?? DEFAULT_ACTOR_CONFIG.backoffMaxMs),
    backoffResetMs: Number(flags.backoffReset ?? DEFAULT_ACTOR_CONFIG.backoffResetMs),
  };
  const host = await whenReady("actors", "the event stream, snapshot and lease buckets", () =>
    startActors(nc, { prefix: prefixOf(flags), replicas: Number(flags.replicas), kinds: createActorKinds({ ...config, serviceCidr: rangesOf(flags).serviceCidr }), ...extra }));
  return { value: host, stoppers: [named("the actor host: its commands under way and last snapshots", () => host.stop())] };
}

/** The Kubernetes API over HTTPS: its port, and how callers are admitted (`none`: the plain port takes writes too). */
export interface HttpsFlags {
  port: number;
  /** The address it listens on (`--https-address`); default 127.0.0.1. */
  host?: string | undefined;
  fallback?: boolean;
  natsUrl: string;
  auth: "users" | "none";
}

/**
 * The read model serving NATS and HTTP reads; the plain-HTTP port serves the Kubernetes gateway read-only (writes too
 * with `--auth none`), and with `https` the full gateway listens over HTTPS behind bearer tokens.
 */
export async function runApi(nc: NatsConnection, flags: ComponentFlags, opts: { httpPort: number; httpFallback?: boolean; name?: string; checkpointEvery?: number; https?: HttpsFlags }) {
  const [{ startApi }, { createGateway, openDoor, startKubeApi }, { podLogReader }, { NatsCommandSender }, { readClusterStatus }, { resourceMetrics }, { lazyUpgrade }, { nodeLeaseSource }, { KvBucket }, { NODE_LEASE_BUCKET }, { podProxies }] = await Promise.all([
    import("../projections/index.js"), import("../gateway/index.js"), import("../gateway/logs.js"), import("../nats/commandClient.js"),
    import("../nats/clusterStatus.js"), import("../projections/resourceMetrics.js"), import("../gateway/upgrades.js"),
    import("../gateway/nodeLeases.js"), import("../events/kvBucket.js"), import("../events/names.js"), import("../gateway/podProxy.js"),
  ]);
  const prefix = prefixOf(flags);
  const sender = new NatsCommandSender(nc, prefix, "user/http");
  const logs = (service: ReadService) => ({ "pods/log": podLogReader({ nc, prefix }, service) });
  const clusterStatus = () => readClusterStatus(nc, prefix, `api/${process.pid}`);
  // The nodes' Leases (kube-node-lease) from their heartbeats, the bucket opened at the first read of one.
  const nodeLeases = (service: ReadService) => nodeLeaseSource(() => KvBucket.existing(nc, NODE_LEASE_BUCKET), () => String(service.runner.model.sequence));
  // Beside an HTTPS API with users, the plain port is read-only and its callers are nobody in particular.
  const readOnly = opts.https?.auth !== "none";
  const plain = (service: ReadService, metrics: ApiMetrics) => createGateway({
    service, metrics, door: readOnly ? openDoor(sender, "anonymous", ["system:unauthenticated"]) : openDoor(sender), readOnly, serverAddress: () => "",
    subresources: logs(service), clusterStatus, nodeLeases: nodeLeases(service),
  });
  const api = await whenReady("api", "the event stream and the checkpoint bucket", () => startApi(nc, {
    prefix, replicas: Number(flags.replicas), httpPort: opts.httpPort, httpFallback: opts.httpFallback ?? false,
    defaultMetrics: true, ...(opts.name ? { name: opts.name } : {}), ...(opts.checkpointEvery ? { checkpointEvery: opts.checkpointEvery } : {}),
    httpRoutes: (service, metrics) => { const g = plain(service, metrics); return (req, res) => g.handle(req, res); },
  }));
  const stoppers: Stopper[] = [named("the read model: its last checkpoint", () => api.stop())];
  let kube: KubeApi | null = null;
  if (opts.https) {
    kube = await startKubeApi({
      service: api.service, dataDir: dataDirOf(flags), natsUrl: opts.https.natsUrl, prefix, port: opts.https.port, host: opts.https.host,
      fallbackToFreePort: opts.https.fallback ?? false, auth: opts.https.auth, openSender: sender, nats: nc, extra: {
        metrics: api.metrics, subresources: logs(api.service),
        // Streams into pods load their WebSocket and SPDY code at their first use (the API's memory is budgeted).
        upgrades: {
          "pods/exec": lazyUpgrade(async () => (await import("../gateway/podExec.js")).podExec(nc, prefix, api.service)),
          "pods/attach": lazyUpgrade(async () => (await import("../gateway/podExec.js")).podExec(nc, prefix, api.service, "attach")),
          "pods/portforward": lazyUpgrade(async () => (await import("../gateway/podPortForward.js")).podPortForward(nc, prefix, api.service)),
        },
        proxies: podProxies(nc, prefix, api.service),
        resourceMetrics: (namespace) => resourceMetrics(nc, prefix, namespace ? { namespace } : {}), clusterStatus,
        nodeLeases: nodeLeases(api.service),
      },
    });
    const k = kube;
    stoppers.push(named("the Kubernetes API: its open requests and watches", () => k.close()));
  }
  return { value: { ...api, kube }, stoppers };
}

/** A view of the cluster of its own (for a process that does not serve reads). */
export async function runView(nc: NatsConnection, flags: ComponentFlags, name: string): Promise<Started<ClusterView>> {
  const { startClusterView } = await import("../projections/index.js");
  const v = await whenReady(name, "the event stream and the checkpoint bucket", () => startClusterView(nc, { prefix: prefixOf(flags), name, replicas: Number(flags.replicas) }));
  return { value: v.view, stoppers: [named("the cluster view: its last checkpoint", () => v.stop())] };
}

/**
 * A PEM file's text once it is there whole, kept after. Until then it is looked for at most once a second: the root
 * CA publisher asks at every namespace change, and a process with no CA file (parts started without `coxswain up`'s
 * data folder) spent 5 % of its CPU in `existsSync` under 1,000 namespace updates a second. Does file I/O.
 */
function fileOnceThere(path: string, everyMs = 1_000): () => string | undefined {
  let text: string | undefined;
  let lookedAt = -Infinity;
  return () => {
    if (text !== undefined || performance.now() - lookedAt < everyMs) return text;
    lookedAt = performance.now();
    const read = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (read?.includes("-----END ")) text = read;
    return text;
  };
}

/** The elected controllers. */
export async function runControllers(nc: NatsConnection, flags: ComponentFlags, view: ClusterView) {
  const { startControllers } = await import("../controllers/index.js");
  const leaseDurationMs = flags.leaseDuration ? Number(flags.leaseDuration) : undefined;
  const leaseOptions = leaseDurationMs
    ? { leaseDurationMs, renewDeadlineMs: Math.round(leaseDurationMs * 0.625), retryPeriodMs: Math.max(50, Math.round(leaseDurationMs / 8)) }
    : {};
  const controllers = startControllers(nc, {
    prefix: prefixOf(flags), view, leaseOptions, replicas: Number(flags.replicas), nodeIpam: { clusterCidr: rangesOf(flags).clusterCidr },
    rootCaPem: fileOnceThere(join(dataDirOf(flags), "pki", "ca.crt")),
    nodeLifecycle: {
      ...(flags.nodeGrace ? { gracePeriodMs: Number(flags.nodeGrace) } : {}),
      ...(flags.evictionTimeout ? { evictionTimeoutMs: Number(flags.evictionTimeout) } : {}),
    },
  });
  return { value: controllers, stoppers: [named("the controllers", () => controllers.stop())] };
}

/** Node agents: `names`, or `count` simulated ones. */
export async function runNodes(
  nc: NatsConnection, flags: ComponentFlags, view: ClusterView,
  opts: { names?: string[]; count?: number; runtime: "sim" | "process"; heartbeatMs?: number },
) {
  const { startNodeAgents } = await import("../node/index.js");
  const agents = await whenReady("node", "the node lease bucket and log stream", () => startNodeAgents(nc, {
    prefix: prefixOf(flags), view, runtime: opts.runtime, dataDir: dataDirOf(flags), replicas: Number(flags.replicas),
    ...(opts.names ? { names: opts.names } : {}), ...(opts.count ? { count: opts.count } : {}),
    ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
  }));
  return { value: agents, stoppers: [named("the node agents: stopping their containers, each within its grace period, and reporting the exits", () => agents.stop())] };
}

/** The pod and service ranges of the flags, validated (an Error naming the flag). Pure. */
export function rangesOf(flags: ComponentFlags): { clusterCidr: string; serviceCidr: string } {
  return clusterRanges(flags.clusterCidr, flags.serviceClusterIpRange);
}

/** The cluster DNS on `address` (host:port, port 0: a free one), fed from `view`; its address goes to `<data-dir>/dns.addr`. */
export async function runDns(view: ClusterView, flags: ComponentFlags, address: string): Promise<Started<DnsServer>> {
  const { startClusterDns } = await import("../network/dns/feed.js");
  const { host, port } = dnsAddress(address);
  // Where only 127.0.0.1 is configured (macOS's lo0), the default address cannot be bound: the server takes 127.0.0.1.
  const server = await startClusterDns(view, host, port).catch((err: { code?: string }) => {
    if (err.code !== "EADDRNOTAVAIL") throw err;
    createLogger("dns").warn({ host }, "cannot bind the DNS address; listening on 127.0.0.1 instead");
    return startClusterDns(view, "127.0.0.1", port);
  });
  const file = join(dataDirOf(flags), DNS_ADDR_FILE);
  mkdirSync(dataDirOf(flags), { recursive: true });
  writeFileSync(file, `${server.host}:${server.port}\n`);
  const forget = () => { if (readText(file) === `${server.host}:${server.port}`) rmSync(file, { force: true }); };
  return { value: server, stoppers: [named("the cluster DNS", () => server.close()), forget] };
}

/** Logs the connection's disconnects and reconnects (info: a fault's timeline reads from them). */
async function logConnectionStatus(nc: NatsConnection, log: ReturnType<typeof createLogger>): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === "disconnect" || s.type === "reconnect") log.info({ server: "server" in s ? s.server : undefined }, `NATS ${s.type}`);
  }
}

async function closeQuietly(nc: NatsConnection): Promise<void> {
  await nc.drain().catch(() => nc.close());
}
