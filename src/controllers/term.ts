/**
 * One leadership term of the controllers: node IPAM's reconciler in a level-triggered loop poked by the node
 * changes it says concern it, and the informer-style ones (endpoints, service accounts, namespaces, quotas,
 * replication of RCs and of ReplicaSets, deployments, Jobs, CronJobs, DaemonSets, StatefulSets, persistent volumes and claims, budgets, autoscalers, the garbage collector, taint eviction, node lifecycle, the scheduler) on a work
 * queue of the keys each change (or heartbeat, or deadline) concerns, reading the indexes of the
 * process's informers (informers.ts); all send through one sender fenced with the term.
 */
import type { Logger } from "pino";
import type { Resource } from "../api/kinds.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { ClusterView, ViewChange } from "../projections/clusterView.js";
import type { ControllerContext } from "./context.js";
import { ControllerInformers } from "./informers.js";
import { FencedSender } from "./fencedSender.js";
import { startLoop, type Loop } from "./loop.js";
import { startKeyedLoop, type KeyedLoop } from "./keyedLoop.js";
import type { HeartbeatSource } from "./nodeLifecycle/heartbeats.js";
import { DEFAULT_NODE_LIFECYCLE, type NodeLifecycleOptions } from "./nodeLifecycle/monitor.js";
import { NodeLifecycleReconciler } from "./nodeLifecycle/reconciler.js";
import { NamespaceReconciler } from "./namespace/reconciler.js";
import { QuotaReconciler, type QuotaOptions } from "./resourceQuota/reconciler.js";
import { ReplicationReconciler, type ReplicationOptions } from "./replication/reconciler.js";
import { replicaSetKind, type ReplicaSet } from "./replicaSet/kind.js";
import { replicationControllerKind } from "./replication/rcKind.js";
import type { ReplicationController } from "../api/replicationController.js";
import { DeploymentReconciler } from "./deployment/reconciler.js";
import { GarbageCollector } from "./garbageCollector/reconciler.js";
import { EndpointsReconciler } from "./endpoints/reconciler.js";
import { ServiceAccountReconciler } from "./serviceAccount/reconciler.js";
import { JobReconciler } from "./job/reconciler.js";
import { CronJobReconciler } from "./cronJob/reconciler.js";
import { DaemonSetReconciler } from "./daemonSet/reconciler.js";
import { TaintEvictionReconciler } from "./taintEviction/reconciler.js";
import { DisruptionReconciler } from "./disruption/reconciler.js";
import { AutoscalerReconciler, type PodMetricsSource } from "./autoscaler/reconciler.js";
import { RootCaReconciler } from "./rootCa/reconciler.js";
import { StatefulSetReconciler } from "./statefulSet/reconciler.js";
import { PersistentVolumeReconciler } from "./persistentVolume/reconciler.js";
import { StorageProtectionReconciler } from "./storageProtection/reconciler.js";
import { ClusterRoleAggregationReconciler } from "./clusterRoleAggregation/reconciler.js";
import { NodeIpamReconciler, type NodeIpamOptions } from "./nodeIpam/reconciler.js";
import { SchedulerReconciler, type SchedulerOptions } from "./scheduler/reconciler.js";

/** Tunables of the loops. */
export interface LoopTunables {
  replication?: ReplicationOptions & { resyncMs?: number };
  scheduler?: SchedulerOptions & { resyncMs?: number };
  /** `resyncMs` (a safety net: heartbeats and deadlines wake a node when they come) defaults to 30 s. */
  nodeLifecycle?: Partial<NodeLifecycleOptions> & { resyncMs?: number };
  namespace?: { resyncMs?: number };
  /** The cluster CA's PEM for the root CA publisher (kube-root-ca.crt), once there is one; without it, no publisher. */
  rootCaPem?: () => string | undefined;
  quota?: QuotaOptions & { resyncMs?: number };
  /** The pod range node IPAM gives /24s from (`--cluster-cidr`). */
  nodeIpam?: NodeIpamOptions;
  /** How long a poke waits for more changes to join it; default 10 ms. */
  coalesceMs?: number;
}

/** What a term runs on. */
export interface TermPorts {
  view: ClusterView;
  /** The unfenced sender; the term wraps it. */
  sender: CommandSender;
  heartbeats: HeartbeatSource;
  /** Asked before every send: false once this term is over. */
  stillLeading: () => boolean;
  /** The process's informers, which outlive the term; without them the term builds its own from the view. */
  informers?: ControllerInformers;
  /** The latest usage of a namespace's pods, for the horizontal pod autoscaler (none: it finds no metrics). */
  podMetrics?: PodMetricsSource;
  now?: () => number;
  logger: Logger;
}

/** A running term. */
export interface RunningTerm {
  readonly term: number;
  /** Asks every loop for a round now (after a reconnect: sends of the outage may have failed and nothing may poke). */
  pokeAll(): void;
  /** The keys waiting in each informer-style controller's work queue, by its name. */
  queueDepths(): Record<string, number>;
  /** Stops the loops at once (a round under way ends at its next send); resolves when they have ended. */
  stop(): Promise<void>;
}

/** Which loop a change of each resource pokes (node IPAM: only the changes it says concern it). */
const READS: Record<"nodeIpam", readonly Resource[]> = {
  nodeIpam: ["nodes"],
};

/** Starts the loops for `term`. */
export function startTerm(ports: TermPorts, term: number, tunables: LoopTunables = {}): RunningTerm {
  const logger = ports.logger.child({ term });
  const ctx: ControllerContext = {
    view: ports.view, logger, now: ports.now ?? (() => performance.now()),
    sender: new FencedSender(ports.sender, term, ports.stillLeading),
  };
  const lifecycle = { ...DEFAULT_NODE_LIFECYCLE, ...definedOnly(tunables.nodeLifecycle) };
  const loop = (name: keyof typeof READS, reconcile: () => Promise<void>, resyncMs: number) =>
    [name, startLoop({ name, reconcile, resyncMs, coalesceMs: tunables.coalesceMs ?? 10, logger })] as const;
  const concerns: Partial<Record<keyof typeof READS, (change: ViewChange) => boolean>> = { nodeIpam: (change) => nodeIpam.observe(change) };
  const informers = ports.informers ?? new ControllerInformers(ports.view, { expectationTtlMs: tunables.scheduler?.expectationTtlMs });
  const replication = new ReplicationReconciler<ReplicationController>(ctx, tunables.replication, replicationControllerKind, informers.replication);
  const replicaSets = new ReplicationReconciler<ReplicaSet>(ctx, tunables.replication, replicaSetKind, informers.replicaSets);
  const deployments = new DeploymentReconciler(ctx);
  const collector = new GarbageCollector(ctx, informers.owners);
  const endpoints = new EndpointsReconciler(ctx);
  const serviceAccounts = new ServiceAccountReconciler(ctx);
  const jobs = new JobReconciler(ctx, informers.controlledPods);
  const cronJobs = new CronJobReconciler(ctx);
  const daemonSets = new DaemonSetReconciler(ctx, informers.controlledPods);
  const taintEviction = new TaintEvictionReconciler(ctx);
  const disruption = new DisruptionReconciler(ctx);
  const autoscaler = new AutoscalerReconciler(ctx, ports.podMetrics ?? (async () => []));
  const statefulSets = new StatefulSetReconciler(ctx, informers.controlledPods);
  const roleAggregation = new ClusterRoleAggregationReconciler(ctx);
  const nodeIpam = new NodeIpamReconciler(ctx, tunables.nodeIpam);
  const scheduler = new SchedulerReconciler(ctx, tunables.scheduler, informers.scheduler);
  const nodes = new NodeLifecycleReconciler(ctx, ports.heartbeats, lifecycle);
  const namespaces = new NamespaceReconciler(ctx);
  const quotas = new QuotaReconciler(ctx, tunables.quota);
  const loops = new Map<keyof typeof READS, Loop>([
    loop("nodeIpam", () => nodeIpam.reconcile(), 30_000),
  ]);
  // Informer-style controllers: a change queues the keys it concerns.
  const keyed: KeyedLoop[] = [
    startKeyedLoop("endpoints", endpoints, { resyncMs: 10_000, logger }),
    startKeyedLoop("serviceAccounts", serviceAccounts, { resyncMs: 30_000, logger }),
    startKeyedLoop("namespace", namespaces, { resyncMs: tunables.namespace?.resyncMs ?? 10_000, logger }),
    startKeyedLoop("quota", quotas, { resyncMs: tunables.quota?.resyncMs ?? 10_000, logger }),
    startKeyedLoop("replication", replication, { resyncMs: tunables.replication?.resyncMs ?? 30_000, logger }),
    startKeyedLoop("replicaSets", replicaSets, { resyncMs: tunables.replication?.resyncMs ?? 30_000, logger }),
    startKeyedLoop("deployments", deployments, { resyncMs: 10_000, logger }),
    startKeyedLoop("jobs", jobs, { resyncMs: 10_000, logger }),
    startKeyedLoop("cronJobs", cronJobs, { resyncMs: 10_000, logger }),
    startKeyedLoop("daemonSets", daemonSets, { resyncMs: 10_000, logger }),
    startKeyedLoop("taintEviction", taintEviction, { resyncMs: 30_000, logger }),
    startKeyedLoop("disruption", disruption, { resyncMs: 30_000, logger }),
    startKeyedLoop("autoscaler", autoscaler, { resyncMs: 30_000, logger }),
    ...(tunables.rootCaPem ? [startKeyedLoop("rootCa", new RootCaReconciler(ctx, tunables.rootCaPem), { resyncMs: 30_000, logger })] : []),
    startKeyedLoop("statefulSets", statefulSets, { resyncMs: 10_000, logger }),
    startKeyedLoop("persistentVolumes", new PersistentVolumeReconciler(ctx), { resyncMs: 30_000, logger }),
    startKeyedLoop("storageProtection", new StorageProtectionReconciler(ctx), { resyncMs: 30_000, logger }),
    startKeyedLoop("clusterRoleAggregation", roleAggregation, { resyncMs: 30_000, logger }),
    startKeyedLoop("garbageCollector", collector, { resyncMs: 10_000, logger }),
    startKeyedLoop("nodeLifecycle", nodes, { resyncMs: tunables.nodeLifecycle?.resyncMs ?? 30_000, logger }),
    // The scheduler's workers are its binds in flight: each decides synchronously, so decisions stay one at a time.
    startKeyedLoop("scheduler", scheduler, { resyncMs: tunables.scheduler?.resyncMs ?? 10_000, workers: scheduler.maxInFlight, logger }),
  ];
  const unsubscribe = informers.onChange((change) => {
    for (const [name, l] of loops) if (READS[name].includes(change.resource) && (concerns[name]?.(change) ?? true)) l.poke();
    for (const k of keyed) k.offer(change);
  });
  logger.info("leading: controllers started");
  return {
    term,
    pokeAll: () => {
      for (const l of loops.values()) l.poke();
      for (const k of keyed) k.resync();
    },
    queueDepths: () => Object.fromEntries(keyed.map((k) => [k.name, k.depth()])),
    async stop() {
      unsubscribe();
      if (!ports.informers) informers.stop();
      await Promise.all([...[...loops.values()].map((l) => l.stop()), ...keyed.map((k) => k.stop())]);
    },
  };
}

/** The keys of `o` whose value is not undefined (so an explicit undefined does not override a default). Pure. */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
