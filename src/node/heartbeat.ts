/**
 * Node heartbeats: one loop for all the nodes of a process, writing each node's lease into the KV bucket
 * `COX_NODE_LEASES` (key = node name) once per period, spread evenly over the period in slots, so a thousand
 * nodes cost a handful of small writes every few milliseconds and no per-node timer. Never the event stream.
 * Of each slot's writes one waits for the stream's acknowledgement, the sample that tells whether heartbeats land;
 * the others are published without a reply subject (stored the same; a lost one is covered by the next period's).
 * At 10,000 nodes every 5 s that is 2,000 acknowledgements a second the server no longer sends nor the agent reads.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "pino";
import type { NodeLease } from "../api/nodeLease.js";
import { NODE_LEASE_BUCKET } from "../events/names.js";
import { Reconnects } from "../events/reconnects.js";
import { KvBucket } from "../events/kvBucket.js";

/** How often and how long. */
export interface HeartbeatOptions {
  /** Period of each node's renewal; default 1000. */
  periodMs?: number;
  /** How long a lease counts without renewal; default 4 periods. */
  leaseDurationMs?: number;
  /** Bucket name; default COX_NODE_LEASES. */
  bucket?: string;
  logger: Logger;
  /**
   * The connection under `kv`: at each of its reconnects every node is renewed at once, rather than at its slot,
   * since the writes of the outage were lost (and those under way wait out their timeout).
   */
  nc?: NatsConnection;
}

/** Slots per period: the loop wakes this often per period and renews the nodes of one slot. */
const SLOTS = 20;

/** Opens (creating if needed) the node lease bucket, keeping only the latest value per key. Does I/O. */
export function openNodeLeases(nc: NatsConnection, bucket = NODE_LEASE_BUCKET, replicas = 1): Promise<KvBucket> {
  return KvBucket.open(nc, bucket, { replicas });
}

/** One heartbeat loop for many nodes. */
export class Heartbeats {
  private readonly names: string[] = [];
  private readonly periodMs: number;
  private readonly leaseDurationMs: number;
  private slot = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(private readonly kv: KvBucket, private readonly opts: HeartbeatOptions) {
    this.periodMs = opts.periodMs ?? 1000;
    this.leaseDurationMs = opts.leaseDurationMs ?? 4 * this.periodMs;
  }

  /** Adds a node; its first lease is written at once. */
  add(nodeName: string): Promise<void> {
    if (!this.names.includes(nodeName)) this.names.push(nodeName);
    return this.renew([nodeName]);
  }

  /** Stops renewing a node (its lease stays and runs out). */
  remove(nodeName: string): void {
    const i = this.names.indexOf(nodeName);
    if (i >= 0) this.names.splice(i, 1);
  }

  /** Starts the loop. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), Math.max(1, Math.floor(this.periodMs / SLOTS)));
    this.renewAllAtReconnect();
  }

  /** Stops the loop and waits for the writes in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private renewAllAtReconnect(): void {
    const nc = this.opts.nc;
    if (!nc) return;
    Reconnects.of(nc).once(() => {
      if (!this.timer) return;
      this.inFlight = Promise.all([this.inFlight, this.renew([...this.names])]).then(() => undefined);
      this.renewAllAtReconnect();
    });
  }

  private tick(): void {
    const slot = this.slot;
    this.slot = (this.slot + 1) % SLOTS;
    const due = this.names.filter((_, i) => i % SLOTS === slot);
    if (due.length === 0) return;
    this.inFlight = Promise.all([this.inFlight, this.renew(due)]).then(() => undefined);
  }

  /** Renews `names`: the first with an acknowledged write, the rest without; warns (1 in 100) when the first fails. */
  private async renew(names: string[]): Promise<void> {
    const renewTime = new Date().toISOString();
    const lease = (nodeName: string) => JSON.stringify({ nodeName, renewTime, leaseDurationMs: this.leaseDurationMs } satisfies NodeLease);
    const [sample, ...rest] = names;
    if (sample === undefined) return;
    try {
      for (const nodeName of rest) this.kv.putUnacked(nodeName, lease(nodeName));
      await this.kv.put(sample, lease(sample));
    } catch (err) {
      if (this.failures++ % 100 === 0) this.opts.logger.warn({ err, nodes: names.length }, "node heartbeats not written");
    }
  }
}
