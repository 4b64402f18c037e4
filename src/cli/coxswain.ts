/** `coxswain`: runs the whole system (`up`) or any one of its parts against a NATS server. */
import { Command, Option } from "commander";
import { dataDirOf, explicitNatsUrl, natsUrlOf, prefixOf, type CommonFlags } from "./config.js";
import { existsSync } from "node:fs";
import { credentialsPath, ensureNodeCredentials, ensureTenant, nodeUser } from "../auth/credentials.js";
import { inboxPrefixFor } from "../auth/roles.js";
import { EmbeddedNatsError, reloadServerConfig, startEmbeddedCluster, startEmbeddedNats } from "./embeddedNats.js";
import { exitWithParent, startChildPart } from "./children.js";
import { checkStopRequested, installSignalHandlers, named, stopAfterFailedStart, stopOnSignal, StopRequested, trackStoppers, type Stopper } from "./lifecycle.js";
import { joinCluster, rangesOf, runActors, runApi, runControllers, runDns, runNodes, runView, type ComponentFlags, type Started } from "./components.js";
import { DEFAULT_CLUSTER_CIDR, DEFAULT_SERVICE_CIDR } from "../network/ranges.js";
import { DEFAULT_DNS_ADDRESS, dnsAddress } from "../network/dns/address.js";
import { applyHeapTuning } from "./heapTuning.js";
import { metricsAddress } from "./metricsAddress.js";
import type { PartGauge } from "./metricsServer.js";
import { actorGauges, controllerGauges, nodeGauges } from "./partMetrics.js";
import { CONTROLLERS_COMPONENT } from "../election/index.js";

try {
  applyHeapTuning();
} catch (err) {
  process.stderr.write(`coxswain: ${(err as Error).message}\n`);
  process.exit(2);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const program = new Command("coxswain").description("A container-orchestration control plane on NATS JetStream");

function common(cmd: Command): Command {
  return cmd
    .option("--nats <urls>", "NATS server URL, or several comma-separated (default: $NATS_URL, else the managed server of --data-dir)")
    .option("--prefix <prefix>", "subject prefix (default: $COX_PREFIX or cox)")
    .option("--data-dir <dir>", "data folder of the embedded default", ".coxswain")
    .option("--user <user>", "NATS user (default: the role's credentials in the data folder)")
    .option("--password <password>", "NATS password")
    .option("--credentials <file>", "a credentials file (JSON: user, password)")
    .addOption(new Option("--replicas <n>", "replicas of streams and buckets").default("1"));
}

function actorFlags(cmd: Command): Command {
  return cmd
    .option("--backoff-initial <ms>", "CrashLoopBackOff: first delay", "10000")
    .option("--backoff-max <ms>", "CrashLoopBackOff: longest delay", "300000")
    .option("--backoff-reset <ms>", "CrashLoopBackOff: running this long resets the delay", "600000");
}

function controllerFlags(cmd: Command): Command {
  return cmd
    .option("--lease-duration <ms>", "controllers' lease duration (renew deadline and retry period follow)")
    .option("--node-grace <ms>", "a node without heartbeat this long becomes NotReady", "40000")
    .option("--eviction-timeout <ms>", "pods of a NotReady node are evicted after this", "300000");
}

function metricsFlag(cmd: Command): Command {
  return cmd.option("--metrics-bind-address <host:port>", "serve Prometheus /metrics (the process's CPU, memory, GC and event loop, and the part's own gauges) here (port 0: a free one)");
}

/** Checks `--metrics-bind-address` before anything starts (a bad address fails at once). */
function checkMetricsFlag(flags: ComponentFlags): void {
  if (flags.metricsBindAddress !== undefined) metricsAddress(flags.metricsBindAddress);
}

/** Serves the part's /metrics when `--metrics-bind-address` asks for it, and says where. */
async function metricsIfAsked(flags: ComponentFlags, gauges: PartGauge[], keep: ReturnType<typeof collect>): Promise<void> {
  if (flags.metricsBindAddress === undefined) return;
  const { serveMetrics } = await import("./metricsServer.js"); // prom-client loads only in a part that serves metrics
  const { url } = keep(await serveMetrics(flags.metricsBindAddress, gauges));
  say(`metrics at ${url}`);
}

function rangeFlags(cmd: Command): Command {
  return cmd
    .option("--cluster-cidr <cidr>", "the pod range inside 127.0.0.0/8: node IPAM gives each node a /24 of it", DEFAULT_CLUSTER_CIDR)
    .option("--service-cluster-ip-range <cidr>", "the service range inside 127.0.0.0/8: ClusterIP services get their address from it", DEFAULT_SERVICE_CIDR);
}

function dnsFlag(cmd: Command): Command {
  return cmd.option("--dns-address <host:port>", "where the cluster DNS listens, in 127.0.0.0/8 (port 0: a free one; written to <data-dir>/dns.addr)", DEFAULT_DNS_ADDRESS);
}

/** Collects the stoppers of started parts, in start order; a signal that came meanwhile stops them and ends the start. */
function collect(stoppers: Stopper[]) {
  trackStoppers(stoppers, say);
  return <T>(s: Started<T>): T => {
    stoppers.push(...s.stoppers);
    checkStopRequested();
    return s.value;
  };
}

// The signal handlers come before any part starts.
program.hook("preAction", () => installSignalHandlers());

/** Where the HTTPS Kubernetes API listens (up and api): 127.0.0.1 unless told otherwise. */
const HTTPS_ADDRESS = ["the address the HTTPS Kubernetes API listens on (0.0.0.0: every interface; its certificate names it)", "127.0.0.1"] as const;

interface UpFlags extends ComponentFlags {
  nodes: string;
  runtime: "sim" | "process";
  http: string;
  https: string;
  httpsAddress: string;
  auth: "users" | "none";
  tenant: string[];
  cluster: string;
  actors: string;
  api: string;
  dnsAddress: string;
}

/** A whole number of at least `min` from a flag, or an error naming the flag. */
function countFlag(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

/** The flags a child part of `up` needs to find the same cluster as `up` (the data folder, or the given URL and user). */
function childFlags(flags: UpFlags, explicit: boolean): string[] {
  const pass = (name: string, value: string | undefined) => (value === undefined ? [] : [`--${name}`, value]);
  return [
    ...pass("data-dir", dataDirOf(flags)), ...pass("prefix", prefixOf(flags)), ...pass("replicas", flags.replicas),
    ...(explicit ? [...pass("nats", flags.nats), ...pass("user", flags.user), ...pass("password", flags.password), ...pass("credentials", flags.credentials)] : []),
  ];
}

const repeat = (value: string, previous: string[]) => [...previous, value];

metricsFlag(dnsFlag(rangeFlags(actorFlags(controllerFlags(common(program.command("up")))))))
  .description("run everything in one process; starts a managed nats-server unless --nats/NATS_URL is given")
  .option("--nodes <n>", "node agents to run", "3")
  .addOption(new Option("--runtime <runtime>", "what the nodes run pods on: sim (no processes) or process (real child processes)").choices(["sim", "process"]).default("sim"))
  .option("--http <port>", "plain-HTTP read-only API port (a free one when taken)", "8080")
  .option("--https <port>", "HTTPS Kubernetes API port, for kubectl (a free one when taken)", "6443")
  .option("--https-address <ip>", ...HTTPS_ADDRESS)
  .addOption(new Option("--auth <mode>", "users: generate credentials per role; none: an open server for local tinkering").choices(["users", "none"]).default("users"))
  .option("--tenant <namespace>", "also a tenant user confined to this namespace (repeatable)", repeat, [])
  .option("--cluster <n>", "managed nats-servers forming one JetStream cluster (streams and buckets then get min(n, 3) replicas)", "1")
  .option("--actors <n>", "actor hosts: this process and n-1 `coxswain actors` child processes", "1")
  .option("--api <n>", "read models: this process (--http) and n-1 `coxswain api` child processes on free HTTP ports", "1")
  .action(async (flags: UpFlags, cmd: Command) => {
    const stoppers: Stopper[] = [];
    const keep = collect(stoppers);
    let url = explicitNatsUrl(flags);
    const prefix = prefixOf(flags);
    const [servers, actors, apis] = [countFlag("cluster", flags.cluster, 1), countFlag("actors", flags.actors, 1), countFlag("api", flags.api, 1)];
    rangesOf(flags);
    dnsAddress(flags.dnsAddress);
    checkMetricsFlag(flags);
    if (url && flags.tenant.length > 0) throw new Error("--tenant makes users of the managed server: it does not apply with --nats/NATS_URL");
    if (url && servers > 1) throw new Error("--cluster starts managed servers: it does not apply with --nats/NATS_URL");
    if (servers > 1 && cmd.getOptionValueSource("replicas") === "default") flags.replicas = String(Math.min(servers, 3));
    if (!url) {
      const managed = { prefix, auth: flags.auth === "users", tenants: flags.tenant };
      const server = servers > 1 ? await startEmbeddedCluster(dataDirOf(flags), say, { ...managed, size: servers }) : await startEmbeddedNats(dataDirOf(flags), say, managed);
      stoppers.push(named("the managed nats-server", () => server.stop()));
      url = server.url;
    }
    const system = keep(await joinCluster(url, flags, "actors", "system"));
    const host = keep(await runActors(system, flags));
    const actorRange = ["--service-cluster-ip-range", rangesOf(flags).serviceCidr];
    for (let i = 1; i < actors; i++) stoppers.push(startChildPart("actors", [...childFlags(flags, explicitNatsUrl(flags) !== undefined), ...actorRange]).stop);
    for (let i = 1; i < apis; i++) stoppers.push(startChildPart("api", [...childFlags(flags, explicitNatsUrl(flags) !== undefined), "--http", "0"]).stop);
    const api = keep(await runApi(system, flags, {
      httpPort: Number(flags.http), httpFallback: true, https: { port: Number(flags.https), host: flags.httpsAddress, fallback: true, natsUrl: url, auth: flags.auth },
    }));
    await api.runner.ready();
    const { RunnerClusterView } = await import("../projections/runnerView.js");
    const view = new RunnerClusterView(api.runner);
    const controllers = keep(await runControllers(keep(await joinCluster(url, flags, "controllers", "controller")), flags, view));
    const dns = keep(await runDns(view, flags, flags.dnsAddress));
    const nodes = Number(flags.nodes);
    const agents = nodes > 0 ? keep(await runNodes(keep(await joinCluster(url, flags, "node", "node")), flags, view, { count: nodes, runtime: flags.runtime })) : undefined;
    // The parts of this process on one endpoint (child parts are started without it; the API's is on --http).
    await metricsIfAsked(flags, [...actorGauges(host), ...controllerGauges(CONTROLLERS_COMPONENT, controllers), ...(agents ? nodeGauges(agents) : [])], keep);
    say(`Coxswain is up. NATS: ${url}  prefix: ${prefix}  data: ${dataDirOf(flags)}  auth: ${explicitNatsUrl(flags) ? "as given" : flags.auth}  replicas: ${flags.replicas}`);
    if (actors > 1 || apis > 1) say(`  ${actors} actor host(s), ${apis} read model(s) (${actors + apis - 2} child process(es))`);
    say(`  Kubernetes API: ${api.kube?.listening.url ?? "-"}   HTTP API: http://127.0.0.1:${api.http?.port ?? "-"} (${flags.auth === "none" ? "reads and writes" : "read-only"})   ${nodes} ${flags.runtime === "process" ? "process" : "simulated"} node(s)   (Ctrl-C stops)`);
    if (api.kube) say(`  kubectl: export KUBECONFIG=${api.kube.kubeconfigPath}`);
    say(`  cluster DNS: ${dns.host}:${dns.port}   pods: ${rangesOf(flags).clusterCidr}   services: ${rangesOf(flags).serviceCidr}`);
    say(`  commands: ${prefix}.cmd.<kind>.<ns>.<name>   events: ${prefix}.ev.>   reads: ${prefix}.api.<kind>.<ns>.get|list|watch`);
    stopOnSignal(stoppers, say);
  });

metricsFlag(rangeFlags(actorFlags(common(program.command("actors")))))
  .description("run an actor host (any number may run against one NATS)")
  // Without commander defaults: what is not given takes the actor host's own default (src/actors/host.ts).
  .option("--snapshot-every <n>", "write a snapshot after this many events (default 50)")
  .option("--max-live <n>", "most live entities (resting ones included) before the least recently used are passivated (default 200000)")
  .option("--rest-after <ms>", "stop an idle entity's actor after this long, keeping its state in memory; 0: never (default 1000)")
  .action(async (flags: ComponentFlags & { snapshotEvery?: string; maxLive?: string; restAfter?: string }) => {
    rangesOf(flags);
    checkMetricsFlag(flags);
    const tuning: { snapshotEvery?: number; maxLive?: number; restAfterMs?: number } = {};
    if (flags.snapshotEvery !== undefined) tuning.snapshotEvery = countFlag("snapshot-every", flags.snapshotEvery, 1);
    if (flags.maxLive !== undefined) tuning.maxLive = countFlag("max-live", flags.maxLive, 1);
    if (flags.restAfter !== undefined) tuning.restAfterMs = countFlag("rest-after", flags.restAfter, 0);
    const stoppers: Stopper[] = [];
    const keep = collect(stoppers);
    const nc = keep(await joinCluster(natsUrlOf(flags), flags, "actors", "system"));
    const host = keep(await runActors(nc, flags, tuning));
    await metricsIfAsked(flags, actorGauges(host), keep);
    say(`actor host ready (pid ${process.pid})`);
    stopOnSignal(stoppers, say);
  });

common(program.command("api"))
  .description("run the read model and serve reads on NATS and HTTP (any number may run against one NATS)")
  .option("--http <port>", "plain-HTTP read-only API port (0: a free one)", "8080")
  .option("--https <port>", "also serve the Kubernetes API over HTTPS on this port (0: a free one), writing <data-dir>/kubeconfig")
  .option("--https-address <ip>", ...HTTPS_ADDRESS)
  .option("--name <name>", "projection name: the key of its checkpoint in COX_CHECKPOINTS", "api")
  .option("--checkpoint-every <n>", "write a checkpoint after this many events", "10000")
  .action(async (flags: ComponentFlags & { http: string; https?: string; httpsAddress: string; name: string; checkpointEvery: string }) => {
    const stoppers: Stopper[] = [];
    const keep = collect(stoppers);
    const nc = keep(await joinCluster(natsUrlOf(flags), flags, "api", "system"));
    const started = Date.now();
    const https = flags.https === undefined ? undefined : { port: Number(flags.https), host: flags.httpsAddress, natsUrl: natsUrlOf(flags), auth: "users" as const };
    const api = keep(await runApi(nc, flags, { httpPort: Number(flags.http), name: flags.name, checkpointEvery: Number(flags.checkpointEvery), ...(https ? { https } : {}) }));
    say(`API ready (pid ${process.pid}): http://127.0.0.1:${api.http?.port ?? "-"}${api.kube ? `  Kubernetes API: ${api.kube.listening.url}  KUBECONFIG=${api.kube.kubeconfigPath}` : ""}`);
    void api.runner.ready().then(() => say(`read model caught up at ${api.runner.model.sequence} in ${Date.now() - started} ms (from checkpoint ${api.runner.stats.startedFrom})`));
    stopOnSignal(stoppers, say);
  });

metricsFlag(rangeFlags(controllerFlags(common(program.command("controllers")))))
  .description("campaign for the controllers' lease and run replication, scheduling and node lifecycle while leading")
  .action(async (flags: ComponentFlags) => {
    rangesOf(flags);
    checkMetricsFlag(flags);
    const stoppers: Stopper[] = [];
    const keep = collect(stoppers);
    const nc = keep(await joinCluster(natsUrlOf(flags), flags, "controllers", "controller"));
    const view = keep(await runView(nc, flags, "controllers"));
    const controllers = keep(await runControllers(nc, flags, view));
    controllers.elector.onChange((e) => {
      if (e.type === "leader") say(`leading with term ${e.term}`);
      if (e.type === "lost") say(`lost the lease (${e.reason})`);
    });
    await metricsIfAsked(flags, controllerGauges(CONTROLLERS_COMPONENT, controllers), keep);
    say(`controllers ready (pid ${process.pid}), campaigning`);
    stopOnSignal(stoppers, say);
  });

metricsFlag(common(program.command("node")))
  .description("run a node agent (--name) or many simulated ones (--count)")
  .option("--name <name>", "the node's name")
  .option("--count <n>", "simulated nodes in this process")
  .addOption(new Option("--runtime <runtime>", "sim: no processes; process: real child processes").choices(["sim", "process"]).default("sim"))
  .option("--heartbeat <ms>", "heartbeat period", "1000")
  .action(async (flags: ComponentFlags & { name?: string; count?: string; runtime: "sim" | "process"; heartbeat: string }) => {
    if (!flags.name && !flags.count) throw new Error("give --name NAME or --count N");
    checkMetricsFlag(flags);
    const stoppers: Stopper[] = [];
    const keep = collect(stoppers);
    // A node with a user of its own (`coxswain credentials add-node N`) connects as it; otherwise as the shared node user.
    const own = flags.name !== undefined && existsSync(credentialsPath(dataDirOf(flags), nodeUser(flags.name)));
    const nc = keep(await joinCluster(natsUrlOf(flags), flags, "node", own ? nodeUser(flags.name as string) : "node"));
    const view = keep(await runView(nc, flags, `nodes-${flags.name ?? "sim"}`));
    const agents = keep(await runNodes(nc, flags, view, {
      runtime: flags.runtime, heartbeatMs: Number(flags.heartbeat),
      ...(flags.name ? { names: [flags.name] } : { count: Number(flags.count) }),
    }));
    await metricsIfAsked(flags, nodeGauges(agents), keep);
    say(`node agent ready (pid ${process.pid}): ${agents.agents.map((a) => a.name).join(", ")}`);
    stopOnSignal(stoppers, say);
  });

dnsFlag(common(program.command("dns")))
  .description("run the cluster DNS server, fed from a view of its own, recording its address in <data-dir>/dns.addr")
  .action(async (flags: ComponentFlags & { dnsAddress: string }) => {
    dnsAddress(flags.dnsAddress);
    const stoppers: Stopper[] = [];
    const keep = collect(stoppers);
    const nc = keep(await joinCluster(natsUrlOf(flags), flags, "dns", "node"));
    const view = keep(await runView(nc, flags, "dns"));
    const dns = keep(await runDns(view, flags, flags.dnsAddress));
    say(`cluster DNS ready (pid ${process.pid}): ${dns.host}:${dns.port}`);
    stopOnSignal(stoppers, say);
  });

const credentials = program.command("credentials").description("users of the managed server");
credentials
  .command("add-tenant")
  .description("create a tenant user confined to a namespace; a running managed server takes it at once (SIGHUP)")
  .argument("<namespace>", "the tenant's namespace")
  .option("--data-dir <dir>", "data folder of the embedded default", ".coxswain")
  .action((ns: string, flags: { dataDir?: string }) => {
    const dataDir = dataDirOf(flags);
    const c = ensureTenant(dataDir, ns);
    say(`tenant of ${ns}: user ${c.user}, credentials in ${credentialsPath(dataDir, c.user)} (clients connect with inbox prefix ${inboxPrefixFor(c.role, c.scope) ?? "-"})`);
    const outcome = reloadServerConfig(dataDir);
    if (outcome === "reloaded") say("the running managed nats-server reloaded its users: the tenant may connect now");
    else if (outcome === "open") say("the managed nats-server runs without users (--auth none): restart `coxswain up` without it for the tenant to count");
    else say("no managed nats-server runs from this data folder: restart `coxswain up` and it includes the tenant");
  });

credentials
  .command("add-node")
  .description("create a user that may speak for one node only (coxswain node --name N uses it); a running managed server takes it at once")
  .argument("<name>", "the node's name")
  .option("--data-dir <dir>", "data folder of the embedded default", ".coxswain")
  .action((name: string, flags: { dataDir?: string }) => {
    const dataDir = dataDirOf(flags);
    const c = ensureNodeCredentials(dataDir, name);
    say(`node ${name}: user ${c.user}, credentials in ${credentialsPath(dataDir, c.user)}`);
    const outcome = reloadServerConfig(dataDir);
    if (outcome === "reloaded") say("the running managed nats-server reloaded its users");
    else if (outcome === "open") say("the managed nats-server runs without users (--auth none)");
    else say("no managed nats-server runs from this data folder: restart `coxswain up` and it includes the node");
  });

credentials
  .command("kubeconfig")
  .description("print a kubeconfig for USER of the data folder (its token, the cluster CA, the HTTPS API's URL)")
  .argument("<user>", "admin, viewer, tenant-<namespace>, node-<name>, …")
  .option("--server <url>", "the HTTPS API's URL (default: the one `coxswain up` recorded in the data folder)")
  .option("--data-dir <dir>", "data folder of the embedded default", ".coxswain")
  .action(async (user: string, flags: { dataDir?: string; server?: string }) => {
    const { kubeconfigOfUser } = await import("../auth/kubeconfig.js");
    process.stdout.write(await kubeconfigOfUser(dataDirOf(flags), user, flags.server));
  });

program.command("replay")
  .description("rebuild the read model from an exported JSON-lines event log, without a server, and print it")
  .argument("<file>", "the log (one { sequence, subject, event } per line)")
  .option("--api-version <v>", "v1 or v1beta1", "v1")
  .action(async (file: string, flags: { apiVersion: string }) => {
    const { replay } = await import("../projections/replay.js");
    const result = await replay(file, { apiVersion: flags.apiVersion === "v1beta1" ? "v1beta1" : "v1" });
    say(JSON.stringify(result, null, 2));
  });

exitWithParent();
program.parseAsync().catch(async (err: unknown) => {
  if (err instanceof StopRequested) return; // a signal came while starting: the stop it began exits 0
  const message = err instanceof EmbeddedNatsError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`coxswain: ${message}\n`);
  await stopAfterFailedStart(); // what had started (a managed nats-server, say) stops before the exit 1
});

export type { CommonFlags };
