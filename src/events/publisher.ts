/**
 * Publishing into a stream and waiting for its acknowledgement: the event store's appends (with their guard), the
 * node agent's log lines and the bench's filled histories. Over the connection's RequestMux, not the JetStream client's
 * publish (nats.js builds an Error with its stack for every request it completes; see requestMux.ts).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { JetStreamApiError, JetStreamError, type ApiError } from "@nats-io/jetstream";
import type { Msg } from "@nats-io/nats-core";
import { RequestMux } from "../nats/requestMux.js";
import { headerBlock, type EncodedHeaders } from "../nats/headerBlock.js";

/** How one message is published. */
export interface PublishOptions {
  /** The message id: a repeat within the stream's duplicate window is stored once. */
  msgId?: string;
  /** Stored only if the subject's last message has this sequence (0: the subject holds none); else error 10071. */
  expectLastSubjectSequence?: number;
  /** Headers, sent in this order (not Nats-Msg-Id nor Nats-Expected-Last-Subject-Sequence: those come from the fields above). */
  headers?: Record<string, string>;
  /** How long to wait for the acknowledgement; default 5 s (the JetStream client's default). */
  timeoutMs?: number;
}

/** What the stream answered. */
export interface PublishAck {
  sequence: number;
  /** True when the stream already held a message with this id (nothing new was stored). */
  duplicate: boolean;
}

/** Publishes messages into whichever stream holds their subjects. */
export class StreamPublisher {
  private readonly mux: RequestMux;

  constructor(nc: NatsConnection) {
    this.mux = RequestMux.of(nc);
  }

  /**
   * Publishes one message and resolves with the stream's acknowledgement. Rejects with a JetStreamApiError when the
   * stream refused it (its `code` is JetStream's), and with nats.js's TimeoutError or RequestError otherwise. Does I/O.
   */
  async publish(subject: string, data: string | Uint8Array, opts: PublishOptions = {}): Promise<PublishAck> {
    const h = publishHeaders(opts);
    const reply = await this.mux.request(subject, data, { timeout: opts.timeoutMs ?? 5_000, ...(h ? { headers: h } : {}) });
    return readAck(reply);
  }
}

/** The headers of one publish: `opts.headers` in their order, then the message id and the expected sequence. Pure. */
export function publishHeaders(opts: Pick<PublishOptions, "headers" | "msgId" | "expectLastSubjectSequence">): EncodedHeaders | undefined {
  return headerBlock({
    ...opts.headers,
    ...(opts.msgId !== undefined ? { "Nats-Msg-Id": opts.msgId } : {}),
    ...(opts.expectLastSubjectSequence !== undefined ? { "Nats-Expected-Last-Subject-Sequence": String(opts.expectLastSubjectSequence) } : {}),
  });
}

/** The acknowledgement in a stream's reply, or the stream's refusal as a JetStreamApiError. Pure. */
export function readAck(reply: Msg): PublishAck {
  let ack: { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: ApiError };
  try {
    ack = reply.json();
  } catch {
    throw new JetStreamError("invalid ack response: not JSON");
  }
  if (ack.error) throw new JetStreamApiError(ack.error);
  if (typeof ack.stream !== "string" || ack.stream === "" || typeof ack.seq !== "number") throw new JetStreamError("invalid ack response");
  return { sequence: ack.seq, duplicate: ack.duplicate === true };
}
