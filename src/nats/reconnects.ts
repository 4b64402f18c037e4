/** The reconnects of a NATS connection as a promise that the next one resolves (one status listener per connection). */
import type { NatsConnection } from "@nats-io/transport-node";

/** Tells when a connection has reconnected (to the same server after a restart, or to another one of the list). */
export class Reconnects {
  private pending: { promise: Promise<void>; resolve: () => void } | null = null;

  private constructor(nc: NatsConnection) {
    void this.listen(nc);
  }

  /** The watcher of `nc` (created on first use; it ends when the connection closes). */
  static of(nc: NatsConnection): Reconnects {
    let r = watchers.get(nc);
    if (!r) watchers.set(nc, (r = new Reconnects(nc)));
    return r;
  }

  /** Resolves at the next reconnect (never, once the connection is closed). */
  next(): Promise<void> {
    if (!this.pending) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending = { promise, resolve };
    }
    return this.pending.promise;
  }

  private async listen(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type !== "reconnect") continue;
      const p = this.pending;
      this.pending = null;
      p?.resolve();
    }
  }
}

const watchers = new WeakMap<NatsConnection, Reconnects>();
