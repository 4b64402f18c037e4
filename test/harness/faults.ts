/**
 * The fault specs' common ground: a system of real processes (actor hosts, controllers, simulated nodes) on a test
 * nats-server or cluster, a scale-up that a fault interrupts, and the checks every fault spec ends with.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { EventStore } from "../../src/events/eventStore.js";
import { refFromEventSubject } from "../../src/events/subjects.js";
import { checkStream, describeReport, type StreamReport } from "../../src/events/streamCheck.js";
import type { RunnerClusterView } from "../../src/projections/index.js";
import { sendCommand } from "./commands.js";
import { eventually } from "./natsServer.js";
import type { RunningProcess } from "./processes.js";
import { activePods, rcManifest, startPart, testView } from "./system.js";

/** Which processes to start. */
export interface SystemShape {
  actors: number;
  controllers: number;
  /** Simulated nodes, in one `coxswain node` process. */
  nodes: number;
  replicas: number;
  /** Controllers' lease (ms). */
  leaseMs?: number;
  /** The URL each controllers process is given (default: the whole list). */
  controllerUrl?: (i: number) => string;
}

/** A running system of processes and the test's own view of it. */
export interface FaultSystem {
  nc: NatsConnection;
  view: RunnerClusterView;
  actors: RunningProcess[];
  controllers: RunningProcess[];
  nodes: RunningProcess;
  all(): RunningProcess[];
  /** Creates the RC `name` with `replicas` pods. */
  scaleUp(name: string, replicas: number): Promise<void>;
  /** Pods of `name` that are Running on a node. */
  running(name: string): number;
  /** Waits until exactly `replicas` pods of `name` are active and all Running. */
  converged(name: string, replicas: number, timeoutMs: number): Promise<void>;
  /** Reads the stream and checks it; prints what was checked. */
  checkStream(label: string): Promise<StreamReport>;
  stop(): Promise<void>;
}

/** Starts the processes of `shape` against `url` (one URL or a comma-separated list). */
export async function startFaultSystem(url: string, nc: NatsConnection, prefix: string, shape: SystemShape): Promise<FaultSystem> {
  const common = ["--replicas", String(shape.replicas)];
  const started: RunningProcess[] = [];
  const part = async (u: string, name: string, args: string[], ready: string) => {
    const p = await startPart(u, prefix, name, [...common, ...args], ready);
    started.push(p);
    return p;
  };
  const actors = await Promise.all(Array.from({ length: shape.actors }, () => part(url, "actors", [], "actor host ready")));
  const lease = shape.leaseMs ? ["--lease-duration", String(shape.leaseMs)] : [];
  const controllers = await Promise.all(Array.from({ length: shape.controllers }, (_, i) =>
    part(shape.controllerUrl?.(i) ?? url, "controllers", lease, "campaigning")));
  const nodes = await part(url, "node", ["--count", String(shape.nodes), "--heartbeat", "500"], "node agent ready");
  const { view, stop: stopView } = await testView(nc, prefix);
  const ofRc = (name: string) => activePods(view).filter((p) => p.metadata.labels?.app === name);
  return {
    nc, view, actors, controllers, nodes,
    all: () => [...started],
    async scaleUp(name, replicas) {
      const reply = await sendCommand(nc, `${prefix}.cmd.replicationcontrollers.default.${name}`, { apiVersion: "v1", type: "CreateReplicationController", data: rcManifest(name, replicas) });
      if (!reply.ok) throw new Error(`scale-up refused: ${JSON.stringify(reply.status)}`);
    },
    running: (name) => ofRc(name).filter((p) => p.status.phase === "Running" && p.spec.nodeName).length,
    async converged(name, replicas, timeoutMs) {
      await eventually(() => {
        const pods = ofRc(name);
        return pods.length === replicas && pods.every((p) => p.status.phase === "Running" && p.spec.nodeName);
      }, timeoutMs, 100);
    },
    async checkStream(label) {
      // Right after a server's restart JetStream may not answer its first requests yet: ask again until it does.
      const store = await eventually(() => EventStore.open(nc, { prefix, replicas: shape.replicas }).catch(() => undefined), 60_000, 250);
      const report = await checkStream(store);
      console.log(`${label}: ${describeReport(report)}`);
      for (const gap of report.gaps.slice(0, 5)) {
        const ref = refFromEventSubject(prefix, gap.subject);
        const history = ref ? await store.readEntity(ref) : [];
        console.log(`  gap on ${gap.subject} at ${gap.sequence}: ${history.map((e) => `v${e.event.version}@${e.sequence} ${e.event.type} ${e.event.commandId} ${e.event.actor ?? ""} ${e.event.time}`).join("; ")}`);
      }
      return report;
    },
    async stop() {
      await stopView();
      for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
      await Promise.all(started.map((p) => p.exited));
    },
  };
}

/** The processes that exited (none should: a fault is survived by reconnecting, not by restarting). */
export function exitedProcesses(processes: RunningProcess[]): string[] {
  return processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null).map((p) => `pid ${p.child.pid}: ${p.output().slice(-400)}`);
}

/** The server name of the leader of `stream` (a JetStream cluster), polled until there is one. */
export async function streamLeader(nc: NatsConnection, stream = "COX_EVENTS"): Promise<string> {
  const jsm = await jetstreamManager(nc);
  return eventually(async () => (await jsm.streams.info(stream)).cluster?.leader, 20_000, 100);
}

/** True when every replica of every stream (events, buckets) is current with no lag: a restarted server has caught up. */
export async function replicasCurrent(nc: NatsConnection): Promise<boolean> {
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  for await (const info of jsm.streams.list()) {
    const replicas = info.cluster?.replicas ?? [];
    if (replicas.length === 0 || !replicas.every((r) => r.current && !r.offline && (r.lag ?? 0) === 0)) return false;
  }
  return true;
}
