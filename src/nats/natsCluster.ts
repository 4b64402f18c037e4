/**
 * A JetStream cluster of managed nats-servers on loopback (`coxswain up --cluster N`, and the fault tests): each
 * server has its own client port, route port, store folder and server name, and routes to all the others.
 */
import { join } from "node:path";
import { freePort, ManagedNatsServer, portInUse } from "./managedServer.js";

/** One member of the cluster as configured. */
export interface ClusterMember {
  name: string;
  port: number;
  routePort: number;
  storeDir: string;
}

/** How to start a cluster. */
export interface NatsClusterOptions {
  /** Number of servers (3 or 5 for a quorum that survives the loss of one or two). */
  size: number;
  /** Folder of the stores: `<dir>/nats-<i>` for server i (1-based). */
  dataDir: string;
  /** The configuration file every member reads (users, limits); its jetstream block must not name store_dir. */
  configFile?: string;
  binary?: string;
  /** The cluster's name; default `coxswain`. */
  name?: string;
  /** Client ports to try first (e.g. 4222, 4223, 4224); a taken one is replaced by a free port. */
  preferredPorts?: number[];
}

/** The command-line flags that make one server a member of the cluster. Pure. */
export function memberArgs(member: ClusterMember, all: readonly ClusterMember[], clusterName: string): string[] {
  const routes = all.filter((m) => m !== member).map((m) => `nats://127.0.0.1:${m.routePort}`);
  return ["-n", member.name, "--cluster_name", clusterName, "--cluster", `nats://127.0.0.1:${member.routePort}`, "--routes", routes.join(",")];
}

/**
 * The same membership as configuration text (appended to a member's own configuration file, so that the server
 * can reload it with SIGHUP). Pure.
 */
export function memberConfig(member: ClusterMember, all: readonly ClusterMember[], clusterName: string): string {
  const routes = all.filter((m) => m !== member).map((m) => `    "nats://127.0.0.1:${m.routePort}"`);
  return [
    `server_name: ${JSON.stringify(member.name)}`,
    "cluster {",
    `  name: ${JSON.stringify(clusterName)}`,
    `  listen: "127.0.0.1:${member.routePort}"`,
    "  routes: [",
    ...routes,
    "  ]",
    "}",
    "",
  ].join("\n");
}

/** Picks the members' ports and folders. Does I/O (probes ports). */
export async function planCluster(opts: NatsClusterOptions): Promise<ClusterMember[]> {
  const members: ClusterMember[] = [];
  for (let i = 1; i <= opts.size; i++) {
    const preferred = opts.preferredPorts?.[i - 1];
    const port = preferred !== undefined && !(await portInUse(preferred)) ? preferred : await freePort();
    members.push({ name: `cox-${i}`, port, routePort: await freePort(), storeDir: join(opts.dataDir, `nats-${i}`) });
  }
  return members;
}

/** A running cluster: its servers, their URLs, and a way to stop, kill, pause and restart any one of them. */
export class ManagedNatsCluster {
  readonly servers: ManagedNatsServer[];

  /**
   * `configFor` names a member's own configuration file, which holds its store folder and membership (memberConfig);
   * without it every member reads `configFile` and gets its membership and store folder as flags.
   */
  constructor(
    readonly members: ClusterMember[],
    opts: Pick<NatsClusterOptions, "configFile" | "binary" | "name"> & { configFor?: (m: ClusterMember) => string; ownProcessGroup?: boolean },
  ) {
    const extra = { ...(opts.binary ? { binary: opts.binary } : {}), ...(opts.ownProcessGroup ? { ownProcessGroup: true } : {}) };
    this.servers = members.map((m) => opts.configFor
      ? new ManagedNatsServer({ port: m.port, storeDir: m.storeDir, configFile: opts.configFor(m), storeDirInConfig: true, ...extra })
      : new ManagedNatsServer({
        port: m.port, storeDir: m.storeDir, args: memberArgs(m, members, opts.name ?? "coxswain"),
        ...(opts.configFile ? { configFile: opts.configFile } : {}), ...extra,
      }));
  }

  /** Plans and starts a cluster; resolves once every server says it is ready (JetStream elects its leaders after). */
  static async start(
    opts: NatsClusterOptions & { configFor?: (m: ClusterMember) => string; ownProcessGroup?: boolean }, members?: ClusterMember[],
  ): Promise<ManagedNatsCluster> {
    const cluster = new ManagedNatsCluster(members ?? await planCluster(opts), opts);
    try {
      await Promise.all(cluster.servers.map((s) => s.start()));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Every client URL, comma-separated (what `--nats` and NATS_URL take). */
  get url(): string {
    return this.servers.map((s) => s.url).join(",");
  }

  /** Stops every server gracefully. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.servers.map((s) => s.stop()));
  }
}
