/**
 * Expectations: commands a controller has sent whose effect the read model may not show yet. A controller counts
 * them so that it neither repeats nor overshoots (Kubernetes' ControllerExpectations), and forgets them once the view
 * has applied the stream position the reply named, or after a time-to-live in case the view stalls.
 */
import type { CommandReply } from "../api/reply.js";
import { replySequence } from "./fencedSender.js";

/** One command under way or done but not yet visible. */
interface Expectation {
  group: string;
  /** The stream sequence after which the view shows the effect; Infinity while the reply is outstanding. */
  sequence: number;
  sentAt: number;
}

/** In-flight effects keyed by what they touch (a pod key), grouped by their owner (an RC). Not thread-shared; no I/O. */
export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  /** @param ttlMs how long an expectation may stay unconfirmed before it is dropped (the view may have stalled). */
  constructor(private readonly ttlMs = 300_000) {}

  /** Records that a command about `key` (owned by `group`) is being sent at monotonic time `now`. */
  expect(group: string, key: string, now: number): void {
    this.byKey.set(key, { group, sequence: Number.POSITIVE_INFINITY, sentAt: now });
  }

  /** The command succeeded: its effect is visible once the view has applied `sequence`. */
  confirm(key: string, sequence: number): void {
    const e = this.byKey.get(key);
    if (e) e.sequence = Number.isFinite(sequence) ? sequence : 0;
  }

  /**
   * Sends a command about `key` (owned by `group`) at monotonic time `now` as an expectation: confirmed by a reply
   * that succeeded, forgotten by a refusal or by a send that throws (the term is over). Returns the reply.
   */
  async sending(group: string, key: string, now: number, send: () => Promise<CommandReply>): Promise<CommandReply> {
    this.expect(group, key, now);
    let reply: CommandReply | undefined;
    try {
      reply = await send();
      return reply;
    } finally {
      if (reply?.ok) this.confirm(key, replySequence(reply));
      else this.forget(key);
    }
  }

  /** The command failed: nothing is expected any more. */
  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** Drops every expectation the view has caught up with or that outlived the time-to-live. */
  settle(appliedSequence: number, now: number): void {
    for (const [key, e] of this.byKey) {
      if (appliedSequence >= e.sequence || now - e.sentAt >= this.ttlMs) this.byKey.delete(key);
    }
  }

  /** True while `key` is expected. */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The keys still expected for `group`. */
  keysOf(group: string): string[] {
    return [...this.byKey].filter(([, e]) => e.group === group).map(([key]) => key);
  }
}
