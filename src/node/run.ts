/**
 * Starting node agents in one process: one node (`names: ["n1"]`) or thousands (`count: 1000`). Whatever the
 * number, the process has one view listener that routes pod changes to the agent of the pod's node, one service
 * proxy (clusterIP:port can be bound once per host: docs/networking.md), one resync
 * timer, one heartbeat loop, one NATS connection, one cap on commands in flight and (simulated) one timer wheel.
 */
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "pino";
import { createLogger } from "../log.js";
import type { NodeResources } from "../api/node.js";
import { dropUndefined } from "../api/objectMeta.js";
import type { CommandSender } from "../nats/commandClient.js";
import { BatchingCommandSender, CommandBatches } from "../nats/commandBatcher.js";
import { agentsBatch } from "../actors/batch.js";
import type { ClusterView, ViewChange } from "../projections/clusterView.js";
import { followServices, type ProxyFeed } from "../network/proxyFeed.js";
import { NodeAgent } from "./agent.js";
import { Heartbeats, openNodeLeases } from "./heartbeat.js";
import type { LogStreamOptions } from "./containerLogs.js";
import { machineCapacity, machineInfo, machineIP, nodeRegistration, SIM_CAPACITY, simulatedIP } from "./nodeManifest.js";
import { ProcessRuntime } from "./processRuntime.js";
import { servePodStreams } from "./podStreams.js";
import { podEnvironment } from "./podEnvironment.js";
import { podAddresses } from "./podAddresses.js";
import { startHostPorts } from "./hostPorts.js";
import { SendLimiter } from "./reports.js";
import type { ContainerRuntime } from "./runtime.js";
import { parseSimDuration, SimRuntime } from "./simRuntime.js";
import { KUBELET_PULL_BACKOFF } from "./imagePulls.js";
import type { Backoff } from "./backoff.js";
import { TimerWheel } from "./timerWheel.js";
import { DEFAULT_RESYNC_MS, staggeredResync } from "./resync.js";

/** What to start. */
export interface NodeAgentsOptions {
  prefix: string;
  view: ClusterView;
  /** The node names; or `count` names `<namePrefix>1`, `<namePrefix>2`, … (default prefix `node-`). */
  names?: string[];
  count?: number;
  namePrefix?: string;
  runtime: "sim" | "process";
  /** Heartbeat period (default 1000) and lease duration (default 4 periods). */
  heartbeatMs?: number;
  leaseDurationMs?: number;
  /** KV bucket of node leases; default COX_NODE_LEASES. */
  leaseBucket?: string;
  /** Replicas of the buckets and streams this creates (node leases, COX_LOGS). */
  replicas?: number;
  /** Capacity (default: the machine's for process, 4 CPU / 8Gi / 110 pods for sim) and allocatable (default: capacity). */
  capacity?: NodeResources;
  allocatable?: NodeResources;
  labels?: Record<string, string>;
  /** Process runtime: the state dir of a single node, or the parent of `<name>` dirs when several; default `<dataDir>/node-<name>`. */
  stateDir?: string;
  dataDir?: string;
  /** Process runtime: the log stream and the tick and stats periods (stats: default `COX_STATS_MS`, else 5000). */
  logs?: Omit<LogStreamOptions, "prefix">;
  tickMs?: number;
  /** Process runtime: how long a container must live before it is reported running (processRuntime.ts). */
  startWindowMs?: number;
  statsMs?: number;
  /**
   * How often every agent re-plans its whole node even without a change (the safety net; changes, report retries and
   * pull back-offs wake pods by themselves); default 60 s, the kubelet's sync frequency. Spread over the period.
   */
  resyncMs?: number;
  /**
   * Commands in flight at once for the whole process; default 256. The agents' commands go in batches of up to 64
   * (commandBatcher.ts) whose reply waits for the slowest of them: at 64, one batch at a time was in flight, and at
   * 100,000 probed pods 93,743 were Ready two minutes after all ran; at 256, all were within 14 s.
   */
  maxInFlight?: number;
  logger?: Logger;
  /** Run the service proxy of this process (one for all its agents: see docs/networking.md); default true. */
  serviceProxy?: boolean;
  /** The image-pull back-off (default `COX_IMAGE_PULL_BACKOFF` as its first delay, e.g. "2s", else the kubelet's 10 s to 300 s). */
  pullBackoff?: Backoff;
  /** Image GC: an image unused this long leaves the node's `status.images` (default `COX_IMAGE_GC_TTL`, e.g. "10m", else 1 h). */
  imageTtlMs?: number;
  /** Test hook: the sender of an agent (default: a BatchingCommandSender as `node/<name>`). */
  sender?: (nodeName: string) => CommandSender;
}

/** The running agents. */
export interface NodeAgents {
  agents: NodeAgent[];
  /** The service proxy of this process, when it runs one. */
  proxy?: ProxyFeed;
  /** A clean stop: heartbeats stop, every container is stopped gracefully and reported. */
  stop(): Promise<void>;
  /** Test hook for kill -9: everything stops at once in memory; containers and state files stay. */
  crash(): Promise<void>;
}

/** The names asked for. Pure. */
export function agentNames(opts: Pick<NodeAgentsOptions, "names" | "count" | "namePrefix">): string[] {
  if (opts.names && opts.names.length > 0) return opts.names;
  return Array.from({ length: opts.count ?? 1 }, (_, i) => `${opts.namePrefix ?? "node-"}${i + 1}`);
}

/** Starts the agents (registration and reports proceed in the background). Does I/O. */
export async function startNodeAgents(nc: NatsConnection, opts: NodeAgentsOptions): Promise<NodeAgents> {
  const log = opts.logger ?? createLogger("node");
  const names = agentNames(opts);
  const kv = await openNodeLeases(nc, opts.leaseBucket, opts.replicas ?? 1);
  const heartbeats = new Heartbeats(kv, { logger: log, nc, ...dropUndefined({ leaseDurationMs: opts.leaseDurationMs }), ...(opts.heartbeatMs ? { periodMs: opts.heartbeatMs } : {}) });
  const limiter = new SendLimiter(opts.maxInFlight ?? 256);
  const wheel = new TimerWheel();
  const agents: NodeAgent[] = [];
  const info = machineInfo(opts.runtime === "process" ? "process" : "sim");
  // The agents of a process with more than one node (the shared node user's) send their commands in shared batches.
  const shared = names.length > 1 ? new CommandBatches(nc, agentsBatch(opts.prefix), "node-agents", 10_000) : undefined;
  for (const name of names) {
    const runtime = await openRuntime(nc, opts, name, names.length, wheel, log);
    const sender = limiter.wrap(opts.sender?.(name) ?? agentSender(nc, opts.prefix, name, shared));
    const real = opts.runtime === "process";
    const capacity = opts.capacity ?? (real ? machineCapacity() : SIM_CAPACITY);
    const registration = nodeRegistration(name, real ? machineIP() : simulatedIP(name), capacity, info, opts.allocatable, opts.labels);
    const podIP = podAddresses(opts.view, name);
    const prepare = real ? podEnvironment(opts.view, { dataDir: opts.dataDir ?? ".coxswain" }, podIP) : undefined;
    agents.push(new NodeAgent({
      name, view: opts.view, sender, runtime, registration, logger: log.child({ node: name }), podIP, ...(prepare ? { prepare } : {}), ...imageOptions(opts),
    }));
  }
  await Promise.all(names.map((n) => heartbeats.add(n)));
  heartbeats.start();
  const unroute = routePodChanges(opts.view, agents);
  const streams = servePodStreams(nc, opts.prefix, agents, log.child({ part: "pod-streams" }));
  const hostPorts = opts.runtime === "process" ? startHostPorts(opts.view, agents.map((a) => ({ name: a.name, address: machineIP() })), log) : null;
  const stopResync = staggeredResync(agents, opts.resyncMs ?? DEFAULT_RESYNC_MS);
  const proxy = opts.serviceProxy === false ? undefined : followServices(opts.view, { logger: log.child({ part: "service-proxy" }) });
  const halt = async (how: (a: NodeAgent) => Promise<void>) => {
    stopResync();
    unroute();
    streams.stop();
    await proxy?.stop();
    await hostPorts?.stop();
    await heartbeats.stop();
    await Promise.all(agents.map(how));
    wheel.clear();
  };
  return {
    agents, ...(proxy ? { proxy } : {}),
    stop: () => halt((a) => a.stop()),
    crash: () => halt(async (a) => a.crash()),
  };
}

/** One listener for all agents: a pod change goes to the agent of its node (and of the node it was on, once gone). */
function routePodChanges(view: ClusterView, agents: NodeAgent[]): () => void {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const lastNode = new Map<string, string>();
  return view.onChange((change: ViewChange) => {
    if (change.resource !== "pods") return;
    const key = `${change.namespace}/${change.name}`;
    const spec = (change.entry?.object as { spec?: { nodeName?: string } } | undefined)?.spec;
    const node = spec?.nodeName ?? lastNode.get(key);
    if (change.entry && spec?.nodeName) lastNode.set(key, spec.nodeName);
    else lastNode.delete(key);
    if (node !== undefined) byName.get(node)?.offer(change);
  });
}

async function openRuntime(nc: NatsConnection, opts: NodeAgentsOptions, name: string, count: number, wheel: TimerWheel, log: Logger): Promise<ContainerRuntime> {
  if (opts.runtime === "sim") return new SimRuntime(wheel);
  const stateDir = opts.stateDir === undefined
    ? join(opts.dataDir ?? ".coxswain", `node-${name}`)
    : count === 1 ? opts.stateDir : join(opts.stateDir, name);
  return ProcessRuntime.open({
    nc, prefix: opts.prefix, stateDir, logger: log.child({ node: name }), nodeName: name,
    ...dropUndefined({ logs: opts.logs, tickMs: opts.tickMs, startWindowMs: opts.startWindowMs, statsMs: opts.statsMs ?? statsMsFromEnv(), replicas: opts.replicas }),
  });
}

/** The image options of the agents: from `opts`, else from `COX_IMAGE_PULL_BACKOFF` and `COX_IMAGE_GC_TTL`. */
function imageOptions(opts: NodeAgentsOptions): { pullBackoff?: Backoff; imageTtlMs?: number } {
  const first = parseSimDuration(process.env.COX_IMAGE_PULL_BACKOFF);
  const pullBackoff = opts.pullBackoff ?? (first ? { initialMs: first, maxMs: Math.max(first, KUBELET_PULL_BACKOFF.maxMs * (first / KUBELET_PULL_BACKOFF.initialMs)) } : undefined);
  const imageTtlMs = opts.imageTtlMs ?? parseSimDuration(process.env.COX_IMAGE_GC_TTL);
  return dropUndefined({ pullBackoff, imageTtlMs });
}

/** `COX_STATS_MS`, the sampling period of process nodes, when it is a positive number. */
function statsMsFromEnv(): number | undefined {
  const ms = Number(process.env.COX_STATS_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** An agent's sender: in the batches its process's agents share, or in batches of its own (a process of one node). */
function agentSender(nc: NatsConnection, prefix: string, node: string, shared: CommandBatches | undefined): CommandSender {
  const channel = { role: "node" as const, node };
  return shared ? new BatchingCommandSender(prefix, `node/${node}`, channel, shared) : BatchingCommandSender.onOwnTree(nc, prefix, `node/${node}`, 10_000, channel);
}
