/** Connecting to a cluster the way coxctl finds it, and the typed clients of its kinds. */
import { hostname } from "node:os";
import type { NatsConnection } from "@nats-io/transport-node";
import { RESOURCE_INFO } from "../api/kinds.js";
import { ACTOR_KINDS } from "../actors/registry.js";
import { authOf, natsUrlOf, prefixOf } from "../cli/config.js";
import type { CommandChannel } from "../events/subjects.js";
import { connectNats } from "../nats/connect.js";
import { NatsCommandSender } from "../nats/commandClient.js";
import { ReadClient } from "../projections/readClient.js";
import { kindClient, type KindClient } from "./kindClient.js";
import { CoxswainStatusError } from "./statusError.js";
import type { RetryPolicy } from "./transport.js";
import type { KindName, KindOf } from "./types.js";

/** Where the cluster is and who to be. Every field is optional: the defaults are coxctl's. */
export interface ConnectOptions {
  /** The NATS URL; else `NATS_URL`, else `<dataDir>/nats.url` (written by `coxswain up`), else `nats://127.0.0.1:4222`. */
  natsUrl?: string;
  /** The data folder of `coxswain up` (default `COX_DATA_DIR`, else `./.coxswain`): its URL and admin credentials. */
  dataDir?: string;
  /** The subject prefix (default `COX_PREFIX`, else `cox`). */
  prefix?: string;
  /** A credentials file (`<dataDir>/credentials/<user>.json`, e.g. a tenant's). */
  credentials?: string;
  /** A NATS user and password (else `NATS_USER`/`NATS_PASSWORD`, else the data folder's admin). */
  user?: string;
  password?: string;
  /** The channel commands go on: users (default) `cmd`, controllers `ctl`, a node agent `node.<name>`. */
  channel?: CommandChannel;
  /** Who the events will name as their actor (`Cox-Actor`); default `user/coxswain-client/<hostname>`. */
  actor?: string;
  /** How long to wait for each reply, in ms (default 10,000). */
  timeoutMs?: number;
  /** Retries of `Unavailable` and `Timeout` (same command id; default 4 attempts). */
  retry?: RetryPolicy;
}

/** `replicationControllers` for `replicationcontrollers` (the Kind's words, in the resource's plural). */
export type AccessorName<R extends KindName> = R extends `${Lowercase<KindOf<R>>}${infer Rest}` ? `${Uncapitalize<KindOf<R>>}${Rest}` : R;

/** One accessor per registered kind: `cluster.pods("default")`, `cluster.nodes()`. */
export type KindAccessors = { [R in KindName as AccessorName<R>]: (namespace?: string) => KindClient<R> };

/** A connected cluster. */
export interface ClusterBase {
  /** The NATS connection (for anything the client does not cover). */
  readonly connection: NatsConnection;
  /** The subject prefix. */
  readonly prefix: string;
  /** The client of any kind by its resource name: `cluster.kind("pods", "default")`. */
  kind<R extends KindName>(resource: R, namespace?: string): KindClient<R>;
  /** Closes the connection (subscriptions and watches end). */
  close(): Promise<void>;
}

/** A connected cluster with an accessor per kind. */
export type Cluster = ClusterBase & KindAccessors;

/** The accessor name of a resource, as `AccessorName` computes it. Pure. */
export function accessorName(resource: string, kind: string): string {
  const lower = kind.toLowerCase();
  if (!resource.startsWith(lower)) return resource;
  return kind.charAt(0).toLowerCase() + kind.slice(1) + resource.slice(lower.length);
}

/**
 * Connects to the cluster as coxctl does (`natsUrl` / `NATS_URL` / the data folder; credentials given, from the
 * environment or the data folder's admin). A server that cannot be reached is an `Unavailable` CoxswainStatusError,
 * refused credentials `Forbidden`.
 */
export async function connectCluster(options: ConnectOptions = {}): Promise<Cluster> {
  const flags = { nats: options.natsUrl, dataDir: options.dataDir, prefix: options.prefix, credentials: options.credentials, user: options.user, password: options.password };
  let nc: NatsConnection;
  try {
    nc = await connectNats(natsUrlOf(flags), "coxswain-client", authOf(flags, "admin"));
  } catch (err) {
    throw CoxswainStatusError.from(err);
  }
  return clusterOn(nc, prefixOf(flags), options);
}

/** A Cluster over a connection you already have (closing the cluster closes it). */
export function clusterOn(nc: NatsConnection, prefix: string, options: Pick<ConnectOptions, "channel" | "actor" | "timeoutMs" | "retry"> = {}): Cluster {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const actor = options.actor ?? `user/coxswain-client/${hostname()}`;
  const deps = { sender: new NatsCommandSender(nc, prefix, actor, timeoutMs, options.channel), reads: new ReadClient(nc, prefix, timeoutMs), retry: options.retry ?? {} };
  const base: ClusterBase = {
    connection: nc, prefix,
    kind: (resource, namespace) => kindClient(deps, resource, namespace),
    close: () => nc.close().catch(() => undefined),
  };
  const accessors: Record<string, (namespace?: string) => unknown> = {};
  for (const resource of Object.keys(ACTOR_KINDS) as KindName[]) {
    accessors[accessorName(resource, RESOURCE_INFO[resource].kind)] = (namespace?: string) => kindClient(deps, resource, namespace);
  }
  return Object.assign(base, accessors) as unknown as Cluster;
}
