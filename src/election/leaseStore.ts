/** The KV side of leases: opening `COX_LEASES`, reading entries, revision-checked writes and the release marker. */
import type { NatsConnection } from "@nats-io/nats-core";
import { LeaseRecord } from "./lease.js";
import { LEASE_BUCKET } from "../events/names.js";
import { KvBucket, type KvRecord } from "../events/kvBucket.js";

/** The default lease bucket (PROTOCOL.md §4). */
export const DEFAULT_LEASE_BUCKET = LEASE_BUCKET;

/** Where the leases live: a bucket name and its replica count. */
export interface LeaseBucketOptions {
  /** Bucket name; default `COX_LEASES`. */
  bucket?: string;
  /** Stream replicas (1, 3 or 5); default 1. */
  replicas?: number;
}

/** A connection, or an already opened lease bucket. */
export type LeaseSource = NatsConnection | KvBucket;

/** Opens (creating if needed) the lease bucket with history 1: only the latest record matters. Does I/O. */
export async function openLeaseBucket(source: LeaseSource, opts: LeaseBucketOptions = {}): Promise<KvBucket> {
  if (isKv(source)) return source;
  return KvBucket.open(source, opts.bucket ?? DEFAULT_LEASE_BUCKET, opts);
}

/** True when `source` is a KV bucket rather than a connection. Pure. */
export function isKv(source: LeaseSource): source is KvBucket {
  return source instanceof KvBucket;
}

/** One key's lease as read from KV: a held record, or a release marker that still carries the last term. */
export interface LeaseEntry {
  key: string;
  /** The record, or null when released (deleted) or unreadable. */
  record: LeaseRecord | null;
  /** The term the entry carries (0 if it carries none, e.g. a delete made by hand). */
  term: number;
  revision: number;
  /** The server's time of the write (for display only). */
  created: Date;
}

/** Decodes a KV entry; a value that does not parse counts as no record rather than an error. Pure. */
export function toLeaseEntry(entry: KvRecord): LeaseEntry {
  const parsed = parseRecord(entry.value);
  const held = entry.operation === "PUT" && parsed !== null;
  return {
    key: entry.key,
    record: held ? parsed : null,
    term: parsed?.leaseTransitions ?? 0,
    revision: entry.revision,
    created: entry.created,
  };
}

function parseRecord(value: Uint8Array): LeaseRecord | null {
  if (value.length === 0) return null;
  try {
    const r = LeaseRecord.safeParse(JSON.parse(new TextDecoder().decode(value)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Reads one key; null when it never existed or was purged. Does I/O. */
export async function readLease(kv: KvBucket, key: string, timeoutMs = 5_000): Promise<LeaseEntry | null> {
  const e = await withTimeout(kv.get(key), timeoutMs);
  return e ? toLeaseEntry(e) : null;
}

/** Encodes a record for the wire. Pure. */
export function encodeRecord(record: LeaseRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(record));
}

/**
 * Writes `record` if the key is still at `revision` (0 = never written: a released lease's delete marker refuses
 * it, since it carries a term the candidate did not see; a create over it could take a term that was already
 * held); returns the new revision. Does I/O.
 */
export async function writeLease(kv: KvBucket, key: string, record: LeaseRecord, revision: number, timeoutMs: number): Promise<number> {
  const data = encodeRecord(record);
  if (revision === 0) return withTimeout(kv.createFirst(key, data, timeoutMs), timeoutMs);
  return withTimeout(kv.update(key, data, revision, timeoutMs), timeoutMs);
}

/**
 * Deletes the key if it is still at `revision`. The delete marker carries the released record as its payload,
 * so the fencing term survives a release in a history-1 bucket and the next holder takes term + 1. Does I/O.
 */
export async function releaseLease(kv: KvBucket, key: string, record: LeaseRecord, revision: number, timeoutMs: number): Promise<void> {
  await withTimeout(kv.deleteCarrying(key, encodeRecord(record), revision, timeoutMs), timeoutMs);
}

/** Thrown when a KV call took longer than allowed; its outcome is unknown and is settled by the next read. */
export class LeaseTimeout extends Error {
  override name = "LeaseTimeout";
}

/** Rejects after `ms` if `p` has not settled; the underlying request is not cancelled. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LeaseTimeout(`lease operation timed out after ${ms} ms`)), ms);
  });
  p.catch(() => undefined); // a late rejection after the timeout must not become unhandled
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
