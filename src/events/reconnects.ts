/** The reconnects of a NATS connection (one status listener per connection), and requests (JetStream or commands) started again at one. */
import type { NatsConnection } from "@nats-io/transport-node";

/** Tells when a connection has reconnected (to the same server after a restart, or to another one of the list). */
export class Reconnects {
  private readonly waiting = new Set<() => void>();

  private constructor(nc: NatsConnection) {
    void this.listen(nc);
  }

  /** The watcher of `nc` (created on first use; it ends when the connection closes). */
  static of(nc: NatsConnection): Reconnects {
    let r = watchers.get(nc);
    if (!r) watchers.set(nc, (r = new Reconnects(nc)));
    return r;
  }

  /**
   * Calls `listener` once, at the next reconnect; the returned function forgets it (call it when the wait is over,
   * so that a long-lived connection without reconnects does not collect listeners).
   */
  once(listener: () => void): () => void {
    this.waiting.add(listener);
    return () => this.waiting.delete(listener);
  }

  /** Resolves at the next reconnect (never, once the connection is closed). */
  next(): Promise<void> {
    return new Promise((resolve) => this.once(resolve));
  }

  private async listen(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type !== "reconnect") continue;
      const listeners = [...this.waiting];
      this.waiting.clear();
      for (const l of listeners) l();
    }
  }
}

const watchers = new WeakMap<NatsConnection, Reconnects>();

/** How many times one operation is started again because the connection reconnected while it was under way. */
export const RESENDS_ON_RECONNECT = 3;

/**
 * Runs `attempt` and, when `nc` reconnects before it settles, runs it again at once (at most `resends` times):
 * a request under way when its server died, or sent while the connection was down, is lost with the old socket and
 * would otherwise wait out its whole timeout (nats.js keeps it pending). The abandoned attempt's outcome is ignored.
 * Only for operations that are safe to repeat: reads, writes deduplicated by a message id, puts of the same value,
 * or writes checked against a revision whose conflict the caller resolves by reading again.
 */
export function againOnReconnect<T>(nc: NatsConnection, attempt: () => Promise<T>, resends = RESENDS_ON_RECONNECT): Promise<T> {
  // One promise and one listener per call, not a race between two promises per attempt: every event append and
  // JetStream read of a scale-up comes through here.
  const reconnects = Reconnects.of(nc);
  return new Promise<T>((resolve, reject) => {
    let sent = 0;
    let done = false;
    let forget: () => void = () => undefined;
    const start = () => {
      if (done) return; // answered between the reconnect and this turn: nothing is sent again
      const mine = ++sent;
      let op: Promise<T>;
      try {
        op = attempt();
      } catch (err) {
        op = Promise.reject(err as Error); // thrown, not rejected: the same answer
      }
      // Past `resends` the attempt is not watched: its own outcome (or timeout) is the answer.
      if (mine <= resends) forget = reconnects.once(() => queueMicrotask(start));
      op.then(
        (value) => { if (mine === sent) { done = true; forget(); resolve(value); } },
        (err: unknown) => { if (mine === sent) { done = true; forget(); reject(err); } }, // an abandoned attempt's answer no longer matters
      );
    };
    start();
  });
}
