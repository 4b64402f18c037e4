/**
 * One socket write per turn of the event loop. The NATS client writes what it has buffered at the end of each
 * microtask run, so a part that answers or appends from many separate continuations (an actor host deciding many
 * commands, a read API publishing watch events) makes a system call per message: profiles of the scale-up showed
 * the socket's `writeBuffer` at 6–14 % of each part's CPU. Deferring the client's flush to `setImmediate` gathers
 * everything a turn produced into one write, after the turn's I/O callbacks and before its timers; what a close
 * would otherwise leave behind is written first, and a turn that has buffered the client's limit (32 KiB) writes
 * it at once, as the client does.
 */
import type { NatsConnection } from "@nats-io/transport-node";

/** The parts of the client's protocol handler this reaches into (nats-core's `ProtocolHandler`). */
interface Protocol {
  flushPending(): void;
  close(err?: Error): Promise<void>;
  outbound: { size(): number };
  pendingLimit: number;
}

/** Whether `nc` has a protocol handler of the shape this module expects (false for another client's connection). */
function protocolOf(nc: NatsConnection): Protocol | undefined {
  const p = (nc as unknown as { protocol?: Partial<Protocol> }).protocol;
  const shaped = typeof p?.flushPending === "function" && typeof p.close === "function" && typeof p.outbound?.size === "function" && typeof p.pendingLimit === "number";
  return shaped ? p as Protocol : undefined;
}

/** Makes `nc` write at most once per event-loop turn (see the module's note); returns `nc`. */
export function coalesceWrites(nc: NatsConnection): NatsConnection {
  const protocol = protocolOf(nc);
  if (!protocol) return nc;
  const flushNow = protocol.flushPending.bind(protocol);
  const close = protocol.close.bind(protocol);
  let scheduled = false;
  protocol.flushPending = () => {
    // As much as the client would write at once (32 KiB) is written now, as it would be: a burst is not held whole.
    if (protocol.outbound.size() >= protocol.pendingLimit) return flushNow();
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flushNow();
    });
  };
  protocol.close = (err) => {
    flushNow();
    return close(err);
  };
  return nc;
}
