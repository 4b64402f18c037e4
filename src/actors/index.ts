/** The actor side: the host that runs pod, node, replication controller, pod template, namespace and resource quota actors. */
import type { NatsConnection } from "@nats-io/transport-node";
import { BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_METADATA } from "../auth/rbac/bootstrapRoles.js";
import { EventStore } from "../events/eventStore.js";
import { SYSTEM_NAMESPACES } from "../api/namespace.js";
import { SYSTEM_PRIORITY_CLASSES } from "../api/priorityClass.js";
import { numberToIp, parseCidr } from "../network/cidr.js";
import { DEFAULT_SERVICE_CIDR } from "../network/ranges.js";
import { StatusError } from "../api/status.js";
import { CONTROLLERS_COMPONENT, TermWatcher } from "../election/index.js";
import type { Logger } from "../log.js";
import { ActorHost, type ActorHostOptions, type TermCheck } from "./host.js";
import { SnapshotStore } from "./snapshots.js";

export { ActorHost, type ActorHostOptions, type TermCheck } from "./host.js";
export { SnapshotStore } from "./snapshots.js";

/** Options of `startActors`. */
export interface StartActorsOptions extends Partial<Omit<ActorHostOptions, "store" | "snapshots">> {
  prefix: string;
  replicas?: number;
  logger?: Logger;
  /** Create the `default` namespace and the bootstrap ClusterRoles when they do not exist yet. */
  bootstrap?: boolean;
  /** The elected component whose lease term fences controller commands. */
  fencedComponent?: string;
  /** The service range (`--service-cluster-ip-range`): the Service `default/kubernetes` takes its first address. */
  serviceCidr?: string;
}


/** Fencing from the lease bucket: a command whose term is older than the current lease's is refused. */
export async function leaseFencing(nc: NatsConnection, component: string, replicas = 1): Promise<TermCheck> {
  const watcher = new TermWatcher(nc, { replicas });
  await watcher.ready();
  return {
    check(term: number) {
      if (watcher.isStale(component, term)) {
        throw new StatusError("StaleTerm", `term ${term} is older than the current term ${watcher.currentTerm(component)} of ${component}: the sender is no longer the leader`);
      }
      watcher.observe(component, term); // a newer term on a command fences the older ones at once
    },
    stop: () => watcher.stop(),
  };
}

/** Opens the stores, starts an actor host on `nc` and (optionally) makes sure `default` and the bootstrap ClusterRoles exist. */
export async function startActors(nc: NatsConnection, opts: StartActorsOptions): Promise<ActorHost> {
  const store = await EventStore.open(nc, { prefix: opts.prefix, replicas: opts.replicas ?? 1 });
  const snapshots = await SnapshotStore.open(nc, { replicas: opts.replicas ?? 1 });
  const fencing = opts.fencing ?? (await leaseFencing(nc, opts.fencedComponent ?? CONTROLLERS_COMPONENT, opts.replicas ?? 1));
  const host = new ActorHost(nc, { ...opts, store, snapshots, fencing });
  try {
    await host.start();
  } catch (err) {
    await host.stop().catch(() => undefined); // a start that failed half-way leaves nothing running (a caller may retry)
    throw err;
  }
  if (opts.bootstrap ?? true) {
    await ensureSystemNamespaces(host, opts.prefix);
    await ensureKubernetesService(host, opts.prefix, opts.serviceCidr ?? DEFAULT_SERVICE_CIDR, opts.logger);
    await ensureBootstrapClusterRoles(host, opts.prefix);
    await ensureSystemPriorityClasses(host, opts.prefix);
  }
  return host;
}

/**
 * Creates the Service `default/kubernetes` (https, port 443) with a fixed command id, as kube-apiserver keeps it, on
 * the first address of the service range (as Kubernetes reserves it); the API processes keep its Endpoints (their own
 * address, src/gateway/apiEndpoints.ts). Where another service holds that address already (a cluster made before
 * this service existed), it is left out, with the refusal in the log.
 */
async function ensureKubernetesService(host: ActorHost, prefix: string, serviceCidr: string, log?: Logger): Promise<void> {
  const range = parseCidr(serviceCidr);
  const data = {
    metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: { type: "ClusterIP", clusterIP: numberToIp(range.base + 1), ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 443 }], sessionAffinity: "None" },
  };
  const body = { apiVersion: "v1", type: "CreateService", id: "bootstrap-service-kubernetes", data };
  const reply = await host.execute(`${prefix}.cmd.services.default.kubernetes`, new TextEncoder().encode(JSON.stringify(body)));
  if (!reply.ok && reply.status.reason !== "AlreadyExists") log?.warn({ status: reply.status }, "the service default/kubernetes could not be made");
}

/** Creates Kubernetes' two system PriorityClasses (system-node-critical, system-cluster-critical), each with a fixed command id. */
async function ensureSystemPriorityClasses(host: ActorHost, prefix: string): Promise<void> {
  for (const [name, { value, description }] of Object.entries(SYSTEM_PRIORITY_CLASSES)) {
    const body = { apiVersion: "v1", type: "CreatePriorityClass", id: `bootstrap-priorityclass-${name}`, data: { metadata: { name }, value, description } };
    const reply = await host.execute(`${prefix}.cmd.priorityclasses._.${name}`, new TextEncoder().encode(JSON.stringify(body)));
    if (!reply.ok && reply.status.reason !== "AlreadyExists") throw new Error(`could not create the PriorityClass ${name}: ${reply.status.message}`);
  }
}

/** Creates Kubernetes' bootstrap ClusterRoles (cluster-admin, admin, edit, view), each with a fixed command id. */
async function ensureBootstrapClusterRoles(host: ActorHost, prefix: string): Promise<void> {
  for (const [name, rules] of Object.entries(BOOTSTRAP_CLUSTER_ROLES)) {
    const body = { apiVersion: "v1", type: "CreateClusterRole", id: `bootstrap-clusterrole-${name}`, data: { metadata: { name, ...BOOTSTRAP_METADATA }, rules } };
    const reply = await host.execute(`${prefix}.cmd.clusterroles._.${name}`, new TextEncoder().encode(JSON.stringify(body)));
    if (!reply.ok && reply.status.reason !== "AlreadyExists") throw new Error(`could not create the ClusterRole ${name}: ${reply.status.message}`);
  }
}

/**
 * Creates `default`, `kube-system`, `kube-public` and `kube-node-lease`, each with a fixed command id, so every host
 * and every restart agrees on one create.
 */
async function ensureSystemNamespaces(host: ActorHost, prefix: string): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    const body = { apiVersion: "v1", type: "CreateNamespace", id: `bootstrap-namespace-${name}`, data: { metadata: { name } } };
    const reply = await host.execute(`${prefix}.cmd.namespaces._.${name}`, new TextEncoder().encode(JSON.stringify(body)));
    if (!reply.ok && reply.status.reason !== "AlreadyExists") throw new Error(`could not create the namespace ${name}: ${reply.status.message}`);
  }
}
