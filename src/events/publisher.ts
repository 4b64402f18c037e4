/**
 * Publishing into a stream and waiting for its acknowledgement: the event store's appends (with their guard), the
 * node agent's log lines and the bench's filled histories. Over the connection's RequestMux, not the JetStream client's
 * publish (nats.js builds an Error with its stack for every request it completes; see requestMux.ts).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { JetStreamApiError, JetStreamError, type ApiError } from "@nats-io/jetstream";
import type { Msg } from "@nats-io/nats-core";
import { RequestMux, type EncodedHeaders } from "../nats/requestMux.js";

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
    const h = headerBlock(opts);
    const reply = await this.mux.request(subject, data, { timeout: opts.timeoutMs ?? 5_000, ...(h ? { headers: h } : {}) });
    return readAck(reply);
  }
}

/**
 * The headers of one publish as nats.js sends them (`NATS/1.0`, a `Name: value` line each, a blank line), built as
 * one string: nats.js's own `headers()` canonicalises and searches the names on every `append`, which every event
 * append paid twice. nats.js's publish reads a message's headers only through `encode()` (RequestMux passes this on).
 * A value with a line break is refused, as nats.js refuses it, and a name that is not printable ASCII without a
 * colon (nats.js lets an empty name through; this does not). Undefined when there are none. Pure.
 */
export function headerBlock(opts: Pick<PublishOptions, "headers" | "msgId" | "expectLastSubjectSequence">): EncodedHeaders | undefined {
  let text = "NATS/1.0";
  let any = false;
  const line = (name: string, value: string) => {
    if (!HEADER_NAME.test(name)) throw new TypeError(`header name ${JSON.stringify(name)}: printable ASCII without a colon`);
    if (/[\r\n]/.test(value)) throw new TypeError(`header ${name}: values cannot contain \\r or \\n`);
    text += `\r\n${name}: ${value.trim()}`;
    any = true;
  };
  const given = opts.headers ?? {};
  for (const name of Object.keys(given)) line(name, given[name] as string);
  if (opts.msgId !== undefined) line("Nats-Msg-Id", opts.msgId);
  if (opts.expectLastSubjectSequence !== undefined) line("Nats-Expected-Last-Subject-Sequence", String(opts.expectLastSubjectSequence));
  if (!any) return undefined;
  const bytes = ENCODER.encode(`${text}\r\n\r\n`);
  return { encode: () => bytes };
}

const ENCODER = new TextEncoder();
/** A header name as this project sends one (RFC 822's field-name: printable ASCII, no colon, not empty). */
export const HEADER_NAME = /^[!-9;-~]+$/;

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
