/**
 * Coxswain's JetStream KV buckets (leases, node heartbeats, snapshots, timers, claims): every bucket keeps only the
 * latest value per key (history 1), and the rest of the code reaches it through the few operations below, never
 * through @nats-io/kv. Revisions are the stream sequences of the writes; a revision-checked write that lost its race
 * fails with an error that `isWrongLastSequence` (./streamErrors.ts) recognizes.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { Bucket, Kvm, type KV } from "@nats-io/kv";
import { StreamPublisher, type PublishOptions } from "./publisher.js";

/** The body of a delete marker. */
const EMPTY = new Uint8Array(0);

/** One key's latest write as read or watched: a value (`PUT`), or a delete or purge marker. */
export interface KvRecord {
  readonly key: string;
  readonly operation: "PUT" | "DEL" | "PURGE";
  /** The stream sequence of the write: what a revision-checked write expects. */
  readonly revision: number;
  /** The server's time of the write. */
  readonly created: Date;
  /** The raw value (empty for a plain delete marker). */
  readonly value: Uint8Array;
  /** The value as UTF-8 text. */
  string(): string;
}

/** A live watch: the records as they are written; `stop()` ends the iteration. */
export interface KvWatch extends AsyncIterable<KvRecord> {
  stop(): void;
}

/** What to watch: a key or a wildcard (`>` for all), from its latest value on, or only the writes from now on. */
export interface KvWatchOptions {
  key: string;
  /** Only writes made after the watch started (no latest value first). */
  updatesOnly?: boolean;
}

/** A KV bucket. Every method does I/O. */
export class KvBucket {
  private readonly publisher: StreamPublisher;

  private constructor(private readonly kv: Bucket, private readonly nc: NatsConnection) {
    this.publisher = new StreamPublisher(nc);
  }

  /** Opens the bucket `name`, creating it (history 1, `replicas` default 1) when missing. */
  static async open(nc: NatsConnection, name: string, opts: { replicas?: number } = {}): Promise<KvBucket> {
    return new KvBucket(asBucket(await new Kvm(nc).create(name, { history: 1, replicas: opts.replicas ?? 1 })), nc);
  }

  /** Binds to the bucket `name` without creating it or looking it up: a missing bucket fails at the first read. */
  static async existing(nc: NatsConnection, name: string): Promise<KvBucket> {
    return new KvBucket(asBucket(await new Kvm(nc).open(name)), nc);
  }

  /** The key's latest record (a delete or purge marker included); null when the key was never written. */
  get(key: string): Promise<KvRecord | null> {
    return this.kv.get(key);
  }

  /** Writes unconditionally; returns the new revision. */
  put(key: string, value: string | Uint8Array): Promise<number> {
    return this.write(key, value, {});
  }

  /**
   * Writes unconditionally without asking for the stream's acknowledgement (a plain publish, no reply subject): the
   * stream stores it the same, but nobody learns whether it did. For writes repeated so often that one lost is
   * covered by the next (node heartbeats), where the ack would double the messages.
   */
  putUnacked(key: string, value: string | Uint8Array): void {
    this.nc.publish(this.subjectOf(key), value);
  }

  /** Writes only if the key holds no value (never written, deleted or purged); returns the new revision. */
  create(key: string, value: string | Uint8Array): Promise<number> {
    return this.kv.create(key, value);
  }

  /**
   * Writes only if the key's subject holds nothing at all: never written (a deleted key holds its delete marker, so
   * this refuses it, where `create` takes it); returns the new revision.
   */
  createFirst(key: string, value: string | Uint8Array, timeoutMs?: number): Promise<number> {
    return this.write(key, value, { expectLastSubjectSequence: 0, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /** Writes only if the key is still at `revision` (> 0); returns the new revision. */
  update(key: string, value: string | Uint8Array, revision: number, timeoutMs?: number): Promise<number> {
    if (!(revision > 0)) throw new RangeError(`a revision-checked update needs a revision > 0, got ${revision}`);
    return this.write(key, value, { expectLastSubjectSequence: revision, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /**
   * Deletes the key (a delete marker, as the KV client writes it), only if it is still at `revision` when one is
   * given. Through our publisher, not the KV client's delete: that goes through nats.js's request, which builds an
   * Error with its stack for every request it completes (requestMux.ts); the actor host clears a timer mark this way
   * for every entity it reloads, 0.8 % of its CPU at 100,000 pods.
   */
  async delete(key: string, revision?: number): Promise<void> {
    await this.write(key, EMPTY, { headers: { "KV-Operation": "DEL" }, ...(revision === undefined ? {} : { expectLastSubjectSequence: revision }) });
  }

  /**
   * Deletes the key if it is still at `revision`, with a delete marker that carries `payload`: in a history-1
   * bucket the marker is all that is left of the key, so what it carries survives the delete (a lease's term).
   */
  async deleteCarrying(key: string, payload: Uint8Array, revision: number, timeoutMs: number): Promise<void> {
    await this.write(key, payload, { headers: { "KV-Operation": "DEL" }, expectLastSubjectSequence: revision, timeoutMs });
  }

  /** A write of the key's subject (a put, or a marker with `KV-Operation`), as the KV client writes it; its revision. */
  private async write(key: string, value: string | Uint8Array, opts: PublishOptions): Promise<number> {
    return (await this.publisher.publish(this.subjectOf(key), value, opts)).sequence;
  }

  /** The subject of `key`'s writes, as the KV client names it; throws on an invalid key. */
  private subjectOf(key: string): string {
    const encoded = this.kv.encodeKey(key);
    this.kv.validateKey(encoded);
    return this.kv.subjectForKey(encoded, true);
  }

  /** Every key that holds a value (deleted and purged keys are left out), in the order the server lists them. */
  async keys(): Promise<string[]> {
    const out: string[] = [];
    for await (const k of await this.kv.keys()) out.push(k);
    return out;
  }

  /** Watches `key` (wildcards allowed): each key's latest record first, unless `updatesOnly`, then every write. */
  watch(opts: KvWatchOptions): Promise<KvWatch> {
    return this.kv.watch({ key: opts.key, ...(opts.updatesOnly ? { include: "updates" as const } : {}) });
  }

  /** Every record the bucket still holds for `key` (wildcards allowed): with history 1, each key's latest. */
  history(key: string): Promise<AsyncIterable<KvRecord>> {
    return this.kv.history({ key });
  }
}

/** Kvm makes nats.js `Bucket`s (typed as the `KV` interface); the release marker needs the class's own methods. */
function asBucket(kv: KV): Bucket {
  if (!(kv instanceof Bucket)) throw new TypeError("@nats-io/kv returned a KV that is not its Bucket");
  return kv;
}
