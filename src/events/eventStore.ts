/**
 * The event store on JetStream: one stream, one subject per entity, every append guarded by
 * expected-last-subject-sequence and de-duplicated by Nats-Msg-Id. All NATS error translation happens here.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { seal, sealedFor } from "./sealing.js";
import { StatusError } from "../api/status.js";
import type { EventEnvelope, StoredEvent } from "./envelope.js";
import { decodeEvent } from "./upcast.js";
import { eventFilter, eventSubject } from "./subjects.js";
import { EVENT_STREAM } from "./names.js";
import { isWrongLastSequence, lastSequenceNamed } from "./streamErrors.js";
import { againOnReconnect } from "./reconnects.js";
import { Streams, type StreamSpec } from "./streams.js";
import { OrderedConsumer } from "./consumers.js";
import { DirectGet, type DirectMessage, type DirectQuery } from "./directGet.js";
import { StreamPublisher } from "./publisher.js";

/** Options of the event store. */
export interface EventStoreOptions {
  prefix: string;
  /** Stream name, `COX_EVENTS` by default. */
  stream?: string;
  /** Replica count of the stream (1 on a single server, 3 on a cluster). */
  replicas?: number;
  /** The de-duplication window for command ids. */
  duplicateWindowMs?: number;
  /**
   * Check after each append that its first event is the first of its version (default: when replicas > 1). A
   * clustered stream of nats-server before 2.9.21 may accept two appends that expect the same last subject sequence
   * (nats-server#4320); the later one is then superseded (every reader skips it) and `append` throws SupersededAppend.
   */
  verifyAppends?: boolean;
}

/** Where an entity's history ends: its last version and the stream sequence of that event (0, 0 when new). */
export interface EntityPosition {
  version: number;
  sequence: number;
}

/** The typed error of a lost optimistic-concurrency race: someone else appended to the entity first. */
export class VersionConflict extends StatusError {
  override name = "VersionConflict";
  /** The sequence the stream named as the entity's last when it refused the append, when it said. */
  readonly lastSequence: number | undefined;
  constructor(ref: EntityRef, expected: EntityPosition, options?: { cause?: unknown; lastSequence?: number }) {
    super("Conflict", `${ref.resource} "${ref.name}" was changed concurrently (expected version ${expected.version})`, {
      kind: ref.resource, name: ref.name,
    }, options);
    this.lastSequence = options?.lastSequence;
  }
}

/** What an append did. */
export interface AppendResult {
  /** Position after the append. */
  position: EntityPosition;
  /** Stream sequences of the appended events. */
  sequences: number[];
  /** True when JetStream reported the command id as already stored (nothing new appended). */
  duplicate: boolean;
}

/** An append whose first event another append of the same version preceded: nothing of it counts; decide again. */
export class SupersededAppend extends VersionConflict {
  override name = "SupersededAppend";
}

/** Reads of a lagging replica before the check of an append gives up (it then trusts the append). */
const VERIFY_READS = 40;

/** Reads and appends events of COX_EVENTS. */
export class EventStore {
  readonly stream: string;
  private readonly publisher: StreamPublisher;
  private readonly gets: DirectGet;
  private constructor(
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly prefix: string,
    stream: string,
    private readonly verifyAppends = false,
  ) {
    this.stream = stream;
    this.publisher = new StreamPublisher(nc);
    this.gets = new DirectGet(nc);
  }

  /** Connects to the stream, creating it (file storage, duplicate window, direct get) when missing. */
  static async open(nc: NatsConnection, opts: EventStoreOptions): Promise<EventStore> {
    const jsm = await jetstreamManager(nc);
    const stream = opts.stream ?? EVENT_STREAM;
    const spec: StreamSpec = {
      subjects: [eventFilter(opts.prefix)], storage: "file", replicas: opts.replicas ?? 1,
      duplicateWindowMs: opts.duplicateWindowMs ?? 120_000, allowDirect: true,
    };
    // An existing stream keeps its subjects (another prefix's store never widens it); it gets direct gets and the window.
    await Streams.over(jsm).ensure(stream, spec, ["allowDirect", "duplicateWindowMs"]).catch((err: unknown) => { throw unavailable(err); });
    return new EventStore(nc, jsm, opts.prefix, stream, opts.verifyAppends ?? (opts.replicas ?? 1) > 1);
  }

  /**
   * Appends `events` (already numbered from expected.version + 1) to the entity's subject.
   * Each event expects the previous one's sequence; the msg id `<dedupeKey>/<index>` makes a retry harmless.
   * Throws VersionConflict when another writer got there first (SupersededAppend when its first event got in but
   * another of the same version preceded it; the rest is then not appended, and a retry needs a new `dedupeKey`).
   */
  async append(ref: EntityRef, expected: EntityPosition, events: EventEnvelope[], commandId: string, dedupeKey = commandId): Promise<AppendResult> {
    const subject = eventSubject(this.prefix, ref);
    let last = expected.sequence;
    const sequences: number[] = [];
    let duplicate = false;
    const sealed = RESOURCE_INFO[ref.resource].sealed === true;
    // Indexed: no iterator and no [index, event] pair per append (this is every event's path).
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as EventEnvelope;
      try {
        // Sent again at once after a reconnect: the msg id makes a repeat a duplicate, the expected sequence a conflict.
        const options = { msgId: `${dedupeKey}/${i}`, expectLastSubjectSequence: last };
        const body = JSON.stringify(sealed ? { ...event, data: seal(event.data, sealedFor(event)) } : event);
        const ack = await againOnReconnect(this.nc, () => this.publisher.publish(subject, body, options));
        if (ack.duplicate) {
          duplicate = true;
          await this.checkDuplicateBelongs(ref, subject, ack.sequence, commandId);
        } else if (i === 0 && this.verifyAppends && !(await this.firstOfItsVersion(subject, expected.sequence, ack.sequence))) {
          throw new SupersededAppend(ref, expected);
        }
        last = ack.sequence;
        sequences.push(ack.sequence);
      } catch (err) {
        if (err instanceof SupersededAppend) throw err;
        if (isWrongLastSequence(err)) {
          throw new VersionConflict(ref, expected, { cause: err, lastSequence: lastSequenceNamed(err) });
        }
        throw unavailable(err);
      }
    }
    const lastEvent = events[events.length - 1];
    return { position: { version: lastEvent ? lastEvent.version : expected.version, sequence: last }, sequences, duplicate };
  }

  /** True when the first event on `subject` after `after` is the one at `seq` (a replica that has not got that far is asked again). */
  private async firstOfItsVersion(subject: string, after: number, seq: number): Promise<boolean> {
    for (let i = 0; i < VERIFY_READS; i++) {
      const first = await this.direct({ seq: after + 1, next_by_subj: subject });
      if (first && first.seq <= seq) return first.seq === seq;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /** A command id is an idempotency key per entity: reusing it for another entity is refused, not silently dropped. */
  private async checkDuplicateBelongs(ref: EntityRef, subject: string, seq: number, commandId: string): Promise<void> {
    const original = await this.direct({ seq });
    if (original && original.subject !== subject) {
      throw new StatusError("Conflict", `command id "${commandId}" was already used for ${original.subject}`, {
        kind: ref.resource, name: ref.name,
      });
    }
  }

  /** The entity's latest event, or null when it has none. */
  async last(ref: EntityRef): Promise<StoredEvent | null> {
    const m = await this.direct({ last_by_subj: eventSubject(this.prefix, ref) });
    return m ? toStored(m) : null;
  }

  /** The stream sequence of the last event on `subject` (wildcards allowed), 0 when there is none. */
  async lastSequenceOn(subject: string): Promise<number> {
    return (await this.direct({ last_by_subj: subject }))?.seq ?? 0;
  }

  /** The event at a stream sequence, or null. */
  async at(sequence: number): Promise<StoredEvent | null> {
    const m = await this.direct({ seq: sequence });
    return m ? toStored(m) : null;
  }

  /**
   * One entity's events after `afterSequence`, in order (direct gets, no consumer, one per event). With `through`
   * (the sequence of an event of the entity the caller has seen, such as `last`'s), the read stops at that event
   * instead of asking for one more and finding none; events appended after it are found as any later append is.
   */
  async readEntity(ref: EntityRef, afterSequence = 0, through = Infinity): Promise<StoredEvent[]> {
    const subject = eventSubject(this.prefix, ref);
    const out: StoredEvent[] = [];
    let seq = afterSequence + 1;
    while (seq <= through) {
      const m = await this.direct({ seq, next_by_subj: subject });
      if (!m) return out;
      out.push(toStored(m));
      seq = m.seq + 1;
    }
    return out;
  }

  /** The stream's last sequence (0 when empty). */
  async lastSequence(): Promise<number> {
    try {
      return (await this.jsm.streams.info(this.stream)).state.last_seq;
    } catch (err) {
      throw unavailable(err);
    }
  }

  /**
   * Replays the stream (or the subjects matching `filter`) from `fromSequence` up to the last message of the
   * filter when the replay began, with an ordered consumer.
   */
  async *replay(opts: { filter?: string; fromSequence?: number } = {}): AsyncGenerator<StoredEvent> {
    const filter = opts.filter ?? eventFilter(this.prefix);
    // The last message of the filter: the replay ends there (a consumer's pending count can read 0 too early
    // while a clustered stream changes leader).
    const end = await this.lastSequenceOn(filter);
    const from = Math.max(1, opts.fromSequence ?? 1);
    if (end < from) return;
    const consumer = await OrderedConsumer.open(this, { filter, from });
    const messages = await consumer.consume({ batch: 2048 });
    try {
      for await (const m of messages) {
        yield { sequence: m.sequence, subject: m.subject, event: decodeEvent(m.data) };
        if (m.sequence >= end) break;
      }
    } finally {
      messages.stop();
    }
  }

  private async direct(query: DirectQuery): Promise<DirectMessage | null> {
    try {
      return await againOnReconnect(this.nc, () => this.gets.get(this.stream, query));
    } catch (err) {
      throw unavailable(err);
    }
  }
}

function toStored(m: DirectMessage): StoredEvent {
  return { sequence: m.seq, subject: m.subject, event: decodeEvent(m.data) };
}

function unavailable(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StatusError("Unavailable", `event store unavailable: ${message}`, {}, { cause: err });
}
