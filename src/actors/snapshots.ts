/** Entity snapshots in KV `COX_SNAPSHOTS` (and the index of pending timers in `COX_TIMERS`). */
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import type { EntityRef } from "../api/kinds.js";
import { entityKey } from "../events/subjects.js";
import { SNAPSHOT_BUCKET, TIMER_BUCKET } from "../events/names.js";
import { againOnReconnect } from "../events/reconnects.js";
import { KvBucket } from "../events/kvBucket.js";

/** What one command did to an entity: enough to answer a repeat of it. */
export const CommandOutcome = z.object({ version: z.number(), sequence: z.number(), events: z.array(z.string()) });
export type CommandOutcome = z.infer<typeof CommandOutcome>;

/** A stored snapshot: the decider state at a position, and the commands it remembers. */
export const EntitySnapshot = z.object({
  schemaVersion: z.literal(1),
  version: z.number().int().nonnegative(),
  sequence: z.number().int().nonnegative(),
  state: z.unknown(),
  recent: z.array(z.tuple([z.string(), CommandOutcome])),
  createdBy: z.tuple([z.string(), CommandOutcome]).nullable(),
});
export type EntitySnapshot = z.infer<typeof EntitySnapshot>;

/** Options of the snapshot store. */
export interface SnapshotStoreOptions {
  bucket?: string;
  timersBucket?: string;
  replicas?: number;
}

/** Reads and writes snapshots and pending-timer marks. A snapshot that cannot be read is ignored (events win). */
export class SnapshotStore {
  private constructor(private readonly nc: NatsConnection, private readonly kv: KvBucket, private readonly timers: KvBucket) {}

  /** Opens (creating when missing) the two buckets. */
  static async open(nc: NatsConnection, opts: SnapshotStoreOptions = {}): Promise<SnapshotStore> {
    const kv = await KvBucket.open(nc, opts.bucket ?? SNAPSHOT_BUCKET, opts);
    const timers = await KvBucket.open(nc, opts.timersBucket ?? TIMER_BUCKET, opts);
    return new SnapshotStore(nc, kv, timers);
  }

  /** The entity's snapshot, or null when there is none or it does not parse. */
  async get(ref: EntityRef): Promise<EntitySnapshot | null> {
    const e = await againOnReconnect(this.nc, () => this.kv.get(entityKey(ref)));
    if (!e || e.operation !== "PUT") return null;
    const r = EntitySnapshot.safeParse(safeJson(e.string()));
    return r.success ? r.data : null;
  }

  /** Stores a snapshot (last writer wins: a stale one only costs a longer catch-up). */
  async put(ref: EntityRef, snapshot: EntitySnapshot): Promise<void> {
    await againOnReconnect(this.nc, () => this.kv.put(entityKey(ref), JSON.stringify(snapshot)));
  }

  /** Marks that the entity waits on a timer, so a restarted host wakes it. */
  async markTimer(ref: EntityRef, at: string | null): Promise<void> {
    const key = entityKey(ref);
    await againOnReconnect(this.nc, async () => { if (at) await this.timers.put(key, at); else await this.timers.delete(key); });
  }

  /** Every entity key with a pending timer. */
  pendingTimers(): Promise<string[]> {
    return this.timers.keys();
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
