/**
 * What `coxctl get cluster` shows: the NATS servers, the JetStream state of every stream and bucket (leader, and
 * each replica's currency and lag), and every Coxswain process that answers a hello.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { listPeers, type Hello } from "./hello.js";
import { Streams } from "../events/streams.js";

/** One stream (or bucket) and its replicas. */
export interface StreamStatus {
  name: string;
  replicas: number;
  messages: number;
  leader: string;
  followers: { name: string; current: boolean; offline: boolean; lag: number; activeMs: number }[];
}

/** The cluster as one client sees it now. */
export interface ClusterStatus {
  /** The server this client is connected to, and its cluster's name (absent for a single server). */
  connectedTo: { server: string; cluster?: string | undefined };
  /** Every server named by the streams' placements and by the connection, sorted. */
  servers: string[];
  streams: StreamStatus[];
  processes: Hello[];
}

/** Reads the cluster's state (JetStream API and hellos on `<prefix>.sys.hello`). */
export async function readClusterStatus(nc: NatsConnection, prefix: string, asker: string): Promise<ClusterStatus> {
  const info = nc.info;
  const streams: StreamStatus[] = [];
  for await (const s of (await Streams.open(nc)).list()) {
    streams.push({
      name: s.name, replicas: s.replicas, messages: s.messages, leader: s.leader ?? info?.server_name ?? "",
      followers: s.followers.map(({ activeNanos, ...r }) => ({ ...r, activeMs: Math.round(activeNanos / 1e6) })),
    });
  }
  streams.sort((a, b) => a.name.localeCompare(b.name));
  const servers = new Set<string>(info?.server_name ? [info.server_name] : []);
  for (const s of streams) {
    if (s.leader) servers.add(s.leader);
    for (const f of s.followers) servers.add(f.name);
  }
  return {
    connectedTo: { server: info?.server_name ?? "", cluster: info?.cluster },
    servers: [...servers].sort(), streams, processes: await listPeers(nc, prefix, asker),
  };
}
