/**
 * The streams of a NATS account, as the rest of Coxswain sees them: a stream is made from a small spec of our own
 * (subjects, storage, discard, limits, replicas), existing streams are amended only in the fields named, and a
 * stream's state comes back as plain facts. Only this folder speaks to JetStream's management API.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import {
  DiscardPolicy, jetstreamManager, RetentionPolicy, StorageType,
  type JetStreamManager, type StreamConfig, type StreamInfo,
} from "@nats-io/jetstream";
import { isStreamNotFound } from "./streamErrors.js";

/** What a stream is made of. Retention is always by limits: Coxswain's streams are logs, never work queues. */
export interface StreamSpec {
  subjects: string[];
  /** Default `file`. */
  storage?: "file" | "memory";
  /** What a full stream drops; absent: the server's default (the oldest). */
  discard?: "old" | "new";
  /** Messages kept per subject, the oldest dropped first. */
  maxMsgsPerSubject?: number;
  maxBytes?: number;
  maxAgeMs?: number;
  /** Default 1. */
  replicas?: number;
  /** The window in which a repeated message id is dropped as a duplicate. */
  duplicateWindowMs?: number;
  /** Answer direct gets (reads by sequence or last by subject from any replica). */
  allowDirect?: boolean;
}

/** The fields of a spec that an existing stream may be brought to (subjects are added, never removed). */
export type AmendableField = "subjects" | "allowDirect" | "duplicateWindowMs";

/** One replica of a stream other than its leader. */
export interface ReplicaFacts {
  name: string;
  current: boolean;
  offline: boolean;
  /** Operations it is behind the leader. */
  lag: number;
  /** Nanoseconds since it was last heard from. */
  activeNanos: number;
}

/** A stream's state at one moment. */
export interface StreamFacts {
  name: string;
  /** When it was made: a stream deleted and made again under the same name has another. */
  created: string;
  replicas: number;
  messages: number;
  /** The sequence of its last message (0 when it never held one). */
  lastSequence: number;
  /** Messages per subject, for the subjects matching the filter asked for (empty when none was). */
  subjects: Record<string, number>;
  /** The server of its leader, on a cluster. */
  leader?: string | undefined;
  followers: ReplicaFacts[];
}

/** A message as the stream stores it. */
export interface StoredMessage {
  sequence: number;
  subject: string;
  data: Uint8Array;
}

const NANOS_PER_MS = 1_000_000;

/** JetStream's config of a spec: retention by limits, and only the limits the spec names. Pure. */
export function streamConfig(name: string, spec: StreamSpec): Partial<StreamConfig> & { name: string; subjects: string[] } {
  return {
    name,
    subjects: [...spec.subjects],
    storage: spec.storage === "memory" ? StorageType.Memory : StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: spec.replicas ?? 1,
    ...(spec.discard ? { discard: spec.discard === "new" ? DiscardPolicy.New : DiscardPolicy.Old } : {}),
    ...(spec.maxMsgsPerSubject !== undefined ? { max_msgs_per_subject: spec.maxMsgsPerSubject } : {}),
    ...(spec.maxBytes !== undefined ? { max_bytes: spec.maxBytes } : {}),
    ...(spec.maxAgeMs !== undefined ? { max_age: spec.maxAgeMs * NANOS_PER_MS } : {}),
    ...(spec.duplicateWindowMs !== undefined ? { duplicate_window: spec.duplicateWindowMs * NANOS_PER_MS } : {}),
    ...(spec.allowDirect !== undefined ? { allow_direct: spec.allowDirect } : {}),
  };
}

/**
 * What an existing stream's config becomes when brought to `wanted` in `fields`: the missing subjects added, the other
 * fields set where they differ; null when nothing differs. Everything else of the stream is kept. Pure.
 */
export function amendedConfig(current: StreamConfig, wanted: Partial<StreamConfig>, fields: readonly AmendableField[]): StreamConfig | null {
  let next = current;
  for (const field of fields) {
    if (field === "subjects") {
      const missing = (wanted.subjects ?? []).filter((s) => !current.subjects.includes(s));
      if (missing.length > 0) next = { ...next, subjects: [...current.subjects, ...missing] };
      continue;
    }
    const key = field === "allowDirect" ? "allow_direct" : "duplicate_window";
    if (wanted[key] !== undefined && current[key] !== wanted[key]) next = { ...next, [key]: wanted[key] };
  }
  return next === current ? null : next;
}

/** The streams of the account a connection is in. */
export class Streams {
  private constructor(private readonly jsm: JetStreamManager) {}

  /** Opens the management API on `nc` (one request: it checks that JetStream answers). Does I/O. */
  static async open(nc: NatsConnection, opts: { timeoutMs?: number } = {}): Promise<Streams> {
    return new Streams(await jetstreamManager(nc, opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }));
  }

  /** Manages streams through an open JetStream manager (the event store's own). */
  static over(jsm: JetStreamManager): Streams {
    return new Streams(jsm);
  }

  /**
   * Makes stream `name` from `spec` when it is missing; an existing one is brought to the spec in `amend` only
   * (default: the spec's subjects are added) and nothing else of it changes. A creation by another process at the same
   * moment is fine. Errors are JetStream's own. Does I/O.
   */
  async ensure(name: string, spec: StreamSpec, amend: readonly AmendableField[] = ["subjects"]): Promise<void> {
    const config = streamConfig(name, spec);
    try {
      const info = await this.jsm.streams.info(name);
      const changed = amendedConfig(info.config, config, amend);
      if (changed) await this.jsm.streams.update(name, changed);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      await this.jsm.streams.add(config).catch(async (addErr: unknown) => {
        // Another process may have created it at the same moment; that is fine.
        await this.jsm.streams.info(name).catch(() => { throw addErr; });
      });
    }
  }

  /** The stream's state; `subjects`: count the messages of the subjects matching this filter too. Does I/O. */
  async info(name: string, opts: { subjects?: string } = {}): Promise<StreamFacts> {
    return factsOf(await this.jsm.streams.info(name, opts.subjects === undefined ? undefined : { subjects_filter: opts.subjects }));
  }

  /** Every stream of the account (KV and object buckets are streams too). Does I/O. */
  async *list(): AsyncGenerator<StreamFacts> {
    for await (const s of this.jsm.streams.list()) yield factsOf(s);
  }

  /** The last message on `subject` (wildcards allowed), or null when it has none. Does I/O. */
  async lastMessage(name: string, subject: string): Promise<StoredMessage | null> {
    const m = await this.jsm.streams.getMessage(name, { last_by_subj: subject });
    return m ? { sequence: m.seq, subject: m.subject, data: m.data } : null;
  }
}

/** Resolves once JetStream answers on `nc` (a fresh cluster has elected its meta leader); throws otherwise. Does I/O. */
export async function jetStreamReady(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: 5_000 });
  await jsm.getAccountInfo();
}

function factsOf(s: StreamInfo): StreamFacts {
  return {
    name: s.config.name, created: s.created, replicas: s.config.num_replicas, messages: s.state.messages,
    lastSequence: s.state.last_seq, subjects: s.state.subjects ?? {}, leader: s.cluster?.leader,
    followers: (s.cluster?.replicas ?? []).map((r) => ({
      name: r.name, current: r.current, offline: r.offline ?? false, lag: r.lag ?? 0, activeNanos: r.active ?? 0,
    })),
  };
}
