/**
 * A live tail of the event stream: an ordered consumer on one subject filter that starts after a given sequence,
 * stays live, and after a failure (a NATS restart) is recreated from the last sequence it applied, so no event is
 * applied twice or skipped. `waitFor` tells when a sequence has been applied (fencing, read-after-write).
 */
import type { Logger } from "../log.js";
import { OrderedConsumer, type EachDelivery, type StreamSource } from "./consumers.js";
import { Reconnects } from "./reconnects.js";
import type { EventEnvelope } from "./envelope.js";
import { decodeEvent } from "./upcast.js";

/** One message of the tail. `event` is null when the message could not be read (it is skipped, and logged). */
export interface TailedEvent {
  sequence: number;
  subject: string;
  event: EventEnvelope | null;
  /** Messages the consumer still holds for this tail after this one. */
  pending: number;
}

/**
 * Where a tail reads: a connection and the stream (an EventStore is one). At each reconnect of the connection the
 * consumer is recreated at once.
 */
export type TailSource = StreamSource;

/** Options of a tail. */
export interface TailOptions {
  /** Start after this sequence (default 0: from the beginning). */
  after?: number;
  /** Messages per pull; default 512. */
  batch?: number;
  /** Called each time the consumer is recreated after a failure. */
  onRestart?: () => void;
}

/**
 * How often a tail that has delivered nothing checks that its consumer still lives: an ordered consumer whose server
 * died (a stream leader change in a cluster) may stall without an error.
 */
const STALL_CHECK_MS = 2_000;

const RECONNECTED = "reconnected";

/** An ordered consumer on one subject filter that stays live and resumes after the last sequence it applied. */
export class EventTail {
  applied: number;
  /** Resolves when the tail has stopped. */
  readonly done: Promise<void>;
  private stopped = false;
  private messages: EachDelivery | null = null;
  private readonly waiters = new Set<{ sequence: number; resolve: (ok: boolean) => void }>();

  constructor(
    private readonly source: TailSource, readonly filter: string,
    private readonly onEvent: (e: TailedEvent) => void, private readonly log: Logger, private readonly opts: TailOptions = {},
  ) {
    this.applied = opts.after ?? 0;
    this.done = this.follow();
  }

  /** Resolves true once `sequence` is applied, false after `timeoutMs`. */
  waitFor(sequence: number, timeoutMs: number): Promise<boolean> {
    if (this.applied >= sequence) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = { sequence, resolve: (ok: boolean) => { clearTimeout(t); this.waiters.delete(w); resolve(ok); } };
      const t = setTimeout(() => w.resolve(false), timeoutMs);
      this.waiters.add(w);
    });
  }

  /** Stops following and releases the waiters (with false); `done` resolves once the loop has ended. */
  stop(): void {
    this.stopped = true;
    this.messages?.stop();
    for (const w of [...this.waiters]) w.resolve(false);
  }

  private async follow(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        const consumer = await OrderedConsumer.open(this.source, { filter: this.filter, from: this.applied + 1 });
        // Short pull expiry: after the client re-creates an ordered consumer (a server restart) it may ask for a
        // short batch and wait for the pull to expire before asking again; 1 s bounds that stall.
        // Delivered to a callback: the messages of one socket read are applied in one task, so what the followers
        // publish on them leaves in one write.
        const messages = await consumer.consumeEach((m) => {
          this.apply(m.sequence, m.subject, m.data, m.pending);
          backoff = 100;
        }, { batch: this.opts.batch ?? 512, expiresMs: 1_000 });
        this.messages = messages;
        if (this.stopped) messages.stop();
        const watchdog = this.watchStall(consumer, messages);
        // A reconnect (a server restart) may leave the consumer pulling from a server that forgot it: start afresh.
        const forget = Reconnects.of(this.source.nc).once(() => this.restart(messages, RECONNECTED));
        try {
          await messages.closed;
        } finally {
          clearInterval(watchdog);
          forget();
        }
      } catch (err) {
        if (!this.stopped) this.log.warn({ err: String(err), filter: this.filter, at: this.applied }, "event tail consumer failed; recreating it");
      }
      if (this.stopped) break;
      this.opts.onRestart?.();
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 2_000);
    }
  }

  /**
   * Ends `messages` (so that the loop recreates the consumer) when nothing was delivered for a check period and the
   * consumer cannot be found, or holds messages it does not deliver.
   */
  private watchStall(consumer: OrderedConsumer, messages: EachDelivery): NodeJS.Timeout {
    let seen = this.applied;
    let checking = false;
    const timer = setInterval(() => {
      if (this.applied !== seen || checking) {
        seen = this.applied;
        return;
      }
      checking = true;
      consumer.pending(true).then(
        (pending) => { if (pending > 0 && this.applied === seen) this.restart(messages, `${pending} pending, none delivered`); },
        (err: unknown) => this.restart(messages, String(err)),
      ).finally(() => { checking = false; });
    }, STALL_CHECK_MS);
    timer.unref();
    return timer;
  }

  private restart(messages: EachDelivery, why: string): void {
    if (this.stopped || messages !== this.messages) return; // a check that outlived its consumer: nothing to restart
    if (why === RECONNECTED) this.log.info({ filter: this.filter, at: this.applied }, "reconnected; recreating the event tail's consumer");
    else this.log.warn({ filter: this.filter, at: this.applied, why }, "event tail stalled; recreating its consumer");
    messages.stop();
  }

  private apply(sequence: number, subject: string, data: Uint8Array, pending: number): void {
    // A stopped tail applies nothing more, whatever its consumer still delivers (one being recreated as it stopped).
    if (this.stopped || sequence <= this.applied) return;
    let event: EventEnvelope | null = null;
    try {
      event = decodeEvent(data);
    } catch (err) {
      // An unreadable event cannot be applied; skipping it keeps the followers live. It is logged loudly.
      this.log.error({ err: String(err), sequence, subject }, "unreadable event skipped");
    }
    try {
      this.onEvent({ sequence, subject, event, pending });
    } catch (err) {
      this.log.error({ err: String(err), sequence, subject }, "an event tail's follower failed on an event");
    }
    this.applied = sequence;
    for (const w of this.waiters) if (w.sequence <= sequence) w.resolve(true);
  }
}
