/** The actor side: the host that runs pod, node, replication controller, pod template, namespace and resource quota actors. */
import type { NatsConnection } from "@nats-io/transport-node";
import { EventStore } from "../events/eventStore.js";
import { StatusError } from "../api/status.js";
import { CONTROLLERS_COMPONENT, TermWatcher } from "../election/index.js";
import type { Logger } from "../log.js";
import { ActorHost, type ActorHostOptions, type TermCheck } from "./host.js";
import { SnapshotStore } from "./snapshots.js";
import { ACTOR_KINDS, type ActorKind } from "./registry.js";
import { commandSubject } from "../events/subjects.js";
import type { Resource } from "../api/kinds.js";

export { ActorHost, type ActorHostOptions, type TermCheck } from "./host.js";
export { SnapshotStore } from "./snapshots.js";

/** Options of `startActors`. */
export interface StartActorsOptions extends Partial<Omit<ActorHostOptions, "store" | "snapshots">> {
  prefix: string;
  replicas?: number;
  logger?: Logger;
  /** Create the objects the kinds register as every cluster's (ActorKind.bootstrap) when they do not exist yet. */
  bootstrap?: boolean;
  /** The elected component whose lease term fences controller commands. */
  fencedComponent?: string;
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

/** Opens the stores, starts an actor host on `nc` and (optionally) makes sure the objects every cluster has exist. */
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
  if (opts.bootstrap ?? true) await createBootstrapObjects(host, opts.prefix, opts.kinds ?? ACTOR_KINDS, opts.logger);
  return host;
}

/**
 * Creates the objects every cluster has from its first start, which the kinds register (ActorKind.bootstrap: the
 * cluster's namespaces, Kubernetes' ClusterRoles and PriorityClasses, `default/kubernetes`), in the registry's order,
 * each by a create with a fixed command id (answered from history on every later start).
 */
async function createBootstrapObjects(host: ActorHost, prefix: string, kinds: Partial<Record<string, ActorKind>>, log?: Logger): Promise<void> {
  for (const [resource, kind] of Object.entries(kinds)) {
    for (const o of kind?.bootstrap ?? []) {
      const body = { apiVersion: "v1", type: o.type, id: o.id, data: o.data };
      const ref = { resource: resource as Resource, namespace: o.namespace, name: o.name };
      const reply = await host.execute(commandSubject(prefix, ref), new TextEncoder().encode(JSON.stringify(body)));
      if (reply.ok || reply.status.reason === "AlreadyExists") continue;
      if (!o.optional) throw new Error(`could not create ${resource} ${o.namespace}/${o.name}: ${reply.status.message}`);
      log?.warn({ status: reply.status }, `${resource} ${o.namespace}/${o.name} could not be made`);
    }
  }
}
