/** The node heartbeats, kept in memory from a watch on the KV bucket `COX_NODE_LEASES`. Does I/O. */
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { parseNodeLease, type NodeLease } from "../../api/nodeLease.js";
import { NODE_LEASE_BUCKET } from "../../events/names.js";
import { KvBucket } from "../../events/kvBucket.js";

/** Where the node lifecycle reads heartbeats from: the latest lease per node name. */
export interface HeartbeatSource {
  leases(): ReadonlyMap<string, NodeLease>;
  /** Calls `listener` with a node's name after its lease changed or went; returns the unsubscribe function. */
  onChange(listener: (nodeName: string) => void): () => void;
}

/** Options of the KV heartbeat watcher. */
export interface KvHeartbeatOptions {
  bucket?: string;
  /** Replicas of the bucket when this creates it; default 1. */
  replicas?: number;
  logger?: Logger;
  /** Wait before watching again after the watch ended (a server restart); default 500 ms. */
  rewatchDelayMs?: number;
}

/** Watches every key of the bucket; a deleted key or an unreadable value means no heartbeat for that node. */
export class KvHeartbeats implements HeartbeatSource {
  private readonly map = new Map<string, NodeLease>();
  private readonly listeners = new Set<(nodeName: string) => void>();
  private stopped = false;
  private current: { stop(): void } | null = null;
  private readonly running: Promise<void>;

  constructor(private readonly nc: NatsConnection, private readonly options: KvHeartbeatOptions = {}) {
    this.running = this.run();
  }

  leases(): ReadonlyMap<string, NodeLease> {
    return this.map;
  }

  onChange(listener: (nodeName: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the watch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.stop();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.watchOnce(await this.open());
      } catch (err) {
        this.options.logger?.debug({ err }, "node lease watch failed");
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, this.options.rewatchDelayMs ?? 500));
    }
  }

  /** The node agents may have made the bucket; if not, make it (history 1: only the latest beat matters). */
  private open(): Promise<KvBucket> {
    return KvBucket.open(this.nc, this.options.bucket ?? NODE_LEASE_BUCKET, this.options);
  }

  private async watchOnce(kv: KvBucket): Promise<void> {
    const iter = await kv.watch({ key: ">" });
    this.current = iter;
    if (this.stopped) iter.stop();
    for await (const e of iter) {
      const parsed = e.operation === "PUT" ? parseNodeLease(e.string()) : null;
      if (parsed) this.map.set(e.key, parsed);
      else this.map.delete(e.key);
      for (const l of this.listeners) l(e.key);
    }
  }
}

