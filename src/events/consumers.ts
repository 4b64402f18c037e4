/**
 * Reading a stream in order: an ordered consumer (ephemeral, no acks, recreated by the client after a gap) on one
 * subject filter, from the stream's first message or from a sequence, delivered in pulls. The event store's replay,
 * the event tail, coxctl, the subscriptions and the pod log reader all read through this; only this folder creates
 * JetStream consumers.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, type Consumer, type ConsumerMessages, type JsMsg, type OrderedConsumerOptions } from "@nats-io/jetstream";

/** Where a read happens: a connection and a stream (an EventStore is one). */
export interface StreamSource {
  nc: NatsConnection;
  stream: string;
}

/** Which messages an ordered read delivers. */
export interface OrderedReadOptions {
  /** Only the subjects matching this filter (wildcards allowed); default every subject of the stream. */
  filter?: string;
  /** The first stream sequence delivered; default the stream's first message. */
  from?: number;
}

/** How messages are pulled. */
export interface PullOptions {
  /** Messages asked for per pull (the client's default: 100). */
  batch?: number;
  /** How long a pull waits for messages before it is asked again (the client's default: 30 s). */
  expiresMs?: number;
}

/** A message as an ordered read delivers it. */
export interface DeliveredMessage {
  readonly sequence: number;
  readonly subject: string;
  readonly data: Uint8Array;
  /** Messages the consumer still held after this one when it was sent (0: it was the last). */
  readonly pending: number;
  /** When the server stored it, in nanoseconds since the epoch. */
  readonly storedNanos: bigint;
  /** A header's value: undefined when the message has no headers, "" when it lacks this one. */
  header(name: string): string | undefined;
}

/** The messages of an ordered read, in stream order. Leaving a for-await loop over it ends it, as `stop()` does. */
export interface Delivery extends AsyncIterable<DeliveredMessage> {
  stop(): void;
}

/** One ordered consumer: created by `open`, delivering from `consume` (once). */
export class OrderedConsumer {
  private constructor(private readonly consumer: Consumer) {}

  /** Creates the consumer on the server. Throws JetStream's errors (a missing stream among them). Does I/O. */
  static async open(src: StreamSource, opts: OrderedReadOptions = {}): Promise<OrderedConsumer> {
    const config: Partial<OrderedConsumerOptions> = {
      ...(opts.filter !== undefined ? { filter_subjects: opts.filter } : {}),
      ...(opts.from !== undefined
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: opts.from }
        : { deliver_policy: DeliverPolicy.All }),
    };
    return new OrderedConsumer(await jetstream(src.nc).consumers.get(src.stream, config));
  }

  /**
   * Messages the consumer has still to deliver: as the server counted them when the consumer was created, or,
   * with `fresh`, as it counts them now (a request, which fails when the consumer is gone). Does I/O when fresh.
   */
  async pending(fresh = false): Promise<number> {
    return (await this.consumer.info(!fresh)).num_pending;
  }

  /** Starts delivering. Does I/O. */
  async consume(opts: PullOptions = {}): Promise<Delivery> {
    return delivery(await this.consumer.consume(pullOptions(opts)));
  }

  /**
   * Starts delivering to `onMessage`, called synchronously as the connection reads each message: no promise or
   * microtask per message, and what `onMessage` publishes leaves in one socket write per read, not one per message
   * (the client flushes at the next microtask). `closed` resolves when delivery ends: after `stop()`, or with the
   * error that ended it. Does I/O.
   */
  async consumeEach(onMessage: (m: DeliveredMessage) => void, opts: PullOptions = {}): Promise<EachDelivery> {
    const messages = await this.consumer.consume({ ...pullOptions(opts), callback: (m: JsMsg) => onMessage(new Delivered(m)) });
    return {
      stop: () => void messages.stop(),
      closed: messages.closed().then((err) => { if (err) throw err; }),
    };
  }
}

/** A delivery to a callback (`consumeEach`): `closed` settles when it ends, rejecting with the error that ended it. */
export interface EachDelivery {
  stop(): void;
  readonly closed: Promise<void>;
}

/** The client's names for our pull options. Pure. */
function pullOptions(opts: PullOptions): { max_messages?: number; expires?: number } {
  return { ...(opts.batch !== undefined ? { max_messages: opts.batch } : {}), ...(opts.expiresMs !== undefined ? { expires: opts.expiresMs } : {}) };
}

function delivery(messages: ConsumerMessages): Delivery {
  return {
    stop: () => void messages.stop(),
    async *[Symbol.asyncIterator]() {
      for await (const m of messages) yield new Delivered(m);
    },
  };
}

class Delivered implements DeliveredMessage {
  constructor(private readonly m: JsMsg) {}
  get sequence(): number { return this.m.seq; }
  get subject(): string { return this.m.subject; }
  get data(): Uint8Array { return this.m.data; }
  get pending(): number { return this.m.info.pending; }
  get storedNanos(): bigint { return this.m.timestampNanos; }
  header(name: string): string | undefined { return this.m.headers?.get(name); }
}
