/**
 * A live tail of the event stream: an ordered consumer on one subject filter that replays from the start, stays
 * live, and after a failure (a NATS restart) is recreated from the last sequence it applied, so no event is
 * applied twice or skipped. `waitFor` tells when a sequence has been applied (fencing, read-after-write).
 */
import { DeliverPolicy, type ConsumerMessages } from "@nats-io/jetstream";
import type { Logger } from "../log.js";
import { EventEnvelope } from "./envelope.js";
import type { EventStore } from "./eventStore.js";
import { upcast } from "./upcast.js";

/** An ordered consumer on one subject filter that stays live and resumes after the last sequence it applied. */
export class EventTail {
  applied = 0;
  private stopped = false;
  private messages: ConsumerMessages | null = null;
  private readonly waiters = new Set<{ sequence: number; resolve: (ok: boolean) => void }>();

  constructor(
    private readonly store: EventStore, readonly filter: string,
    private readonly onEvent: (e: EventEnvelope, sequence: number) => void, private readonly log: Logger,
  ) {
    void this.follow();
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

  stop(): void {
    this.stopped = true;
    this.messages?.stop();
    for (const w of [...this.waiters]) w.resolve(false);
  }

  private async follow(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        const consumer = await this.store.js.consumers.get(this.store.stream, {
          filter_subjects: this.filter, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.applied + 1,
        });
        // Short pull expiry: after the client re-creates an ordered consumer (a server restart) it may ask for a
        // short batch and wait for the pull to expire before asking again; 1 s bounds that stall.
        this.messages = await consumer.consume({ max_messages: 512, expires: 1_000 });
        if (this.stopped) this.messages.stop();
        for await (const m of this.messages) {
          this.apply(m.seq, m.data);
          backoff = 100;
        }
      } catch (err) {
        if (!this.stopped) this.log.warn({ err: String(err), filter: this.filter, at: this.applied }, "event tail consumer failed; recreating it");
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 2_000);
    }
  }

  private apply(sequence: number, data: Uint8Array): void {
    if (sequence <= this.applied) return;
    try {
      this.onEvent(upcast(EventEnvelope.parse(JSON.parse(new TextDecoder().decode(data)))), sequence);
    } catch (err) {
      this.log.error({ err: String(err), sequence, filter: this.filter }, "unreadable event skipped");
    }
    this.applied = sequence;
    for (const w of this.waiters) if (w.sequence <= sequence) w.resolve(true);
  }
}
