/**
 * Publishing into a stream and waiting for its acknowledgement: the node agent's log lines and the bench's filled
 * histories. (Events are appended by the event store, with its guard.)
 */
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, type JetStreamClient, type JetStreamPublishOptions } from "@nats-io/jetstream";

/** How one message is published. */
export interface PublishOptions {
  /** The message id: a repeat within the stream's duplicate window is stored once. */
  msgId?: string;
  /** Headers, sent in this order. */
  headers?: Record<string, string>;
}

/** What the stream answered. */
export interface PublishAck {
  sequence: number;
  /** True when the stream already held a message with this id (nothing new was stored). */
  duplicate: boolean;
}

/** Publishes messages into whichever stream holds their subjects. */
export class StreamPublisher {
  private readonly js: JetStreamClient;

  constructor(nc: NatsConnection) {
    this.js = jetstream(nc);
  }

  /** Publishes one message and resolves with the stream's acknowledgement. Does I/O. */
  async publish(subject: string, data: string | Uint8Array, opts: PublishOptions = {}): Promise<PublishAck> {
    const options: Partial<JetStreamPublishOptions> = {};
    if (opts.headers) {
      const h = headers();
      for (const [name, value] of Object.entries(opts.headers)) h.set(name, value);
      options.headers = h;
    }
    if (opts.msgId !== undefined) options.msgID = opts.msgId;
    const ack = await this.js.publish(subject, data, options);
    return { sequence: ack.seq, duplicate: ack.duplicate };
  }
}
