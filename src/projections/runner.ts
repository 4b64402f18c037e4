/**
 * The projection runner: loads the latest checkpoint, then follows COX_EVENTS with an EventTail (an ordered consumer) from the
 * checkpoint's sequence + 1 and stays live. When the consumer dies (NATS restarted, stream hiccup) it is
 * recreated from the last applied sequence + 1, so no event is applied twice or skipped. Checkpoints are written
 * every `checkpointEvery` events (or, when that is more, every `EVENTS_PER_DOCUMENT` times as many events as the last
 * checkpoint held documents, so that writing them costs O(1) per event however large the model), at a tick of
 * `checkpointIntervalMs` once caught up when no event came since the previous tick (the stream went quiet with events
 * not saved), and on stop. A tick does not write while events keep coming: each tick's checkpoint would serialize the
 * whole model however few events came: in a 100,000-pod scale-up those took 13–23 % of each projection process's CPU,
 * and the cost per pod grew with the cluster. None is written during the catch-up: each serializes the whole model
 * (seconds at a million documents) while the catch-up is what a reader waits for, and a checkpoint every
 * `checkpointEvery` events of a long replay would make it quadratic.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { ACTOR_KINDS, type ActorKinds } from "../actors/registry.js";
import { EventTail, type TailedEvent } from "../events/eventTail.js";
import { eventFilter } from "../events/subjects.js";
import { createLogger, type Logger } from "../log.js";
import { ChangeFeed } from "./changeFeed.js";
import type { CheckpointStore } from "./checkpoint.js";
import type { DerivedProjectionFactory } from "./derived.js";
import { ReadModel } from "./readModel.js";
import { EVENT_STREAM } from "../events/names.js";
import { Streams } from "../events/streams.js";

/**
 * Events between two checkpoints per document the last one held. Writing a checkpoint costs about a document's
 * serialisation and compression per document; replaying an event costs far less than loading a document (~13 µs
 * against ~180 µs here), so 4 keeps a cold start within ~1.3× of loading the checkpoint alone, while writing them
 * costs a quarter of what one event per document cost (4–9 % of each projection process's CPU in a scale-up).
 */
export const EVENTS_PER_DOCUMENT = 4;

/** Options of a runner. */
export interface RunnerOptions {
  prefix: string;
  /** The projection's name: the key of its checkpoint. Processes sharing a name share checkpoints. */
  name: string;
  stream?: string;
  kinds?: ActorKinds;
  /** Derived kinds folded alongside the entities (the API serves Events this way); default none. */
  derived?: readonly DerivedProjectionFactory[];
  /** null: never checkpoint (and start from the stream's beginning). */
  checkpoints: CheckpointStore | null;
  checkpointEvery?: number;
  checkpointIntervalMs?: number;
  /** Changes retained for watches that resume from a resourceVersion. */
  historySize?: number;
  logger?: Logger;
}

/** Counters a metrics endpoint reads. */
export interface RunnerStats {
  eventsApplied: number;
  /** Events in the stream not applied yet, as last measured (`streamLag`) or reported by the consumer. */
  lag: number;
  checkpointsWritten: number;
  lastCheckpointBytes: number;
  /** How the model started: from a checkpoint at this sequence, or 0. */
  startedFrom: number;
  consumerRestarts: number;
}

/** Follows the event stream into a ReadModel and a ChangeFeed. */
export class ProjectionRunner {
  readonly model: ReadModel;
  readonly feed: ChangeFeed;
  readonly stats: RunnerStats = { eventsApplied: 0, lag: 0, checkpointsWritten: 0, lastCheckpointBytes: 0, startedFrom: 0, consumerRestarts: 0 };
  /** True once the model has applied everything the stream held when the runner started. */
  caughtUp = false;
  private readonly stream: string;
  private readonly log: Logger;
  private readonly waiters = new Set<{ sequence: number; resolve: (ok: boolean) => void }>();
  private tail: EventTail | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checkpointedAt = 0;
  /** The model's sequence at the checkpoint timer's last tick (-1: no tick yet). */
  private sequenceAtTick = -1;
  /** How many documents the last checkpoint written held. */
  private checkpointedDocuments = 0;
  private checkpointing: Promise<void> | null = null;
  private streamCreated = "";
  private catchUpTarget = 0;
  private readonly caughtUpListeners: (() => void)[] = [];

  private constructor(private readonly streams: Streams, private readonly opts: RunnerOptions) {
    this.stream = opts.stream ?? EVENT_STREAM;
    this.model = new ReadModel(opts.prefix, opts.kinds ?? ACTOR_KINDS, opts.derived ?? []);
    this.feed = new ChangeFeed(opts.historySize ?? 10_000);
    this.log = opts.logger ?? createLogger("projections");
  }

  /** Loads the checkpoint (if any, and if it belongs to this stream) and starts following the stream. */
  static async start(nc: NatsConnection, opts: RunnerOptions): Promise<ProjectionRunner> {
    const r = new ProjectionRunner(await Streams.open(nc), opts);
    const info = await r.streams.info(r.stream);
    r.streamCreated = info.created;
    const cp = await opts.checkpoints?.load(opts.name);
    if (cp && cp.stream === r.stream && cp.streamCreated === info.created && cp.sequence <= info.lastSequence) {
      r.model.load(cp.sequence, cp.documents);
      r.stats.startedFrom = cp.sequence;
      r.checkpointedAt = cp.sequence;
    }
    r.feed.reset(r.model.sequence);
    r.catchUpTarget = info.lastSequence;
    r.markCaughtUp();
    r.tail = new EventTail({ nc, stream: r.stream }, eventFilter(opts.prefix), (t) => r.onTailed(t), r.log, {
      after: r.model.sequence, batch: 1024, onRestart: () => void r.stats.consumerRestarts++,
    });
    const every = opts.checkpointIntervalMs ?? 30_000;
    if (opts.checkpoints) {
      r.timer = setInterval(() => void r.tick(), every);
      r.timer.unref();
    }
    return r;
  }

  /** Resolves once the model has caught up with the stream as it was at start. */
  ready(): Promise<void> {
    return this.caughtUp ? Promise.resolve() : new Promise((resolve) => this.caughtUpListeners.push(resolve));
  }

  /**
   * Events of the stream the model has not applied: the stream's last sequence (asked now) less the model's. When
   * the stream cannot be asked (NATS away) it answers the last figure the consumer reported.
   */
  async streamLag(): Promise<number> {
    try {
      const info = await this.streams.info(this.stream);
      this.stats.lag = Math.max(0, info.lastSequence - this.model.sequence);
    } catch (err) {
      this.log.debug({ err: String(err) }, "stream info for the lag gauge failed");
    }
    return this.stats.lag;
  }

  /**
   * Resolves true once the model has applied every event the stream held when asked (a retry after a Conflict reads
   * what beat it), false after `timeoutMs` or when the stream cannot be asked.
   */
  async catchUpWithStream(timeoutMs: number): Promise<boolean> {
    try {
      const info = await this.streams.info(this.stream);
      return await this.waitFor(info.lastSequence, timeoutMs);
    } catch {
      return false;
    }
  }

  /** Resolves true once `sequence` is applied, false after `timeoutMs` (read-after-write). */
  waitFor(sequence: number, timeoutMs: number): Promise<boolean> {
    if (this.model.sequence >= sequence) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = { sequence, resolve: (ok: boolean) => { clearTimeout(t); this.waiters.delete(w); resolve(ok); } };
      const t = setTimeout(() => w.resolve(false), timeoutMs);
      this.waiters.add(w);
    });
  }

  /** Stops following, writes a last checkpoint, and releases the waiters. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.tail?.stop();
    await this.tail?.done;
    for (const w of [...this.waiters]) w.resolve(false);
    // A periodic checkpoint still being written holds an older sequence: wait for it, then write the last one.
    await this.checkpointing;
    await this.checkpoint();
  }

  /**
   * The checkpoint timer's tick: writes one when caught up with events not saved and none came since the previous
   * tick (the stream is quiet; while events keep coming, the event count's checkpoints are the ones written).
   */
  async tick(): Promise<void> {
    const quiet = this.model.sequence === this.sequenceAtTick;
    this.sequenceAtTick = this.model.sequence;
    if (quiet && this.caughtUp) await this.checkpoint();
  }

  /** Writes a checkpoint now unless nothing changed since the last one. */
  async checkpoint(): Promise<void> {
    const store = this.opts.checkpoints;
    if (!store || this.model.sequence === this.checkpointedAt) return;
    if (this.checkpointing) return this.checkpointing;
    const sequence = this.model.sequence;
    // The documents are immutable values, so copying the array now gives a consistent cut at `sequence`.
    const documents = [...this.model.documents()];
    this.checkpointedDocuments = documents.length;
    this.checkpointing = store
      .save({ projection: this.opts.name, stream: this.stream, streamCreated: this.streamCreated, sequence, documents })
      .then((bytes) => {
        this.checkpointedAt = sequence;
        this.stats.checkpointsWritten++;
        this.stats.lastCheckpointBytes = bytes;
      })
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "checkpoint failed"))
      .finally(() => { this.checkpointing = null; });
    return this.checkpointing;
  }

  private onTailed(t: TailedEvent): void {
    if (t.sequence <= this.model.sequence) return;
    this.stats.lag = t.pending;
    if (!t.event) {
      this.model.sequence = t.sequence; // unreadable: skipped (the tail logged it), so reads do not wait on it
    } else {
      const changes = this.model.apply({ sequence: t.sequence, subject: t.subject, event: t.event });
      this.stats.eventsApplied++;
      for (const change of changes) this.feed.push(change);
    }
    for (const w of this.waiters) if (w.sequence <= t.sequence) w.resolve(true);
    if (!this.caughtUp) this.markCaughtUp(t.pending === 0);
    const every = Math.max(this.opts.checkpointEvery ?? 10_000, EVENTS_PER_DOCUMENT * this.checkpointedDocuments);
    if (this.caughtUp && this.opts.checkpoints && t.sequence - this.checkpointedAt >= every && !this.checkpointing) void this.checkpoint();
  }

  private markCaughtUp(force = false): void {
    if (!force && this.model.sequence < this.catchUpTarget) return;
    this.caughtUp = true;
    for (const l of this.caughtUpListeners.splice(0)) l();
  }
}
