/**
 * JetStream's direct get over the connection's RequestMux: a stored message by sequence, the next one on a subject
 * from a sequence, or the last one on a subject. The same requests as nats.js's `jsm.direct.getMessage`, without the
 * `RequestError` (and its stack) nats.js builds for every request it completes: an actor host that reloads passivated
 * entities makes several per command (see requestMux.ts).
 */
import { JetStreamError } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { RequestMux } from "../nats/requestMux.js";

/** Which message to get. */
export type DirectQuery = { seq: number } | { seq: number; next_by_subj: string } | { last_by_subj: string };

/** A stored message as a direct get returns it. */
export interface DirectMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** Direct gets from the streams of one connection. */
export class DirectGet {
  private readonly mux: RequestMux;

  constructor(nc: NatsConnection, private readonly timeoutMs = 5_000, private readonly apiPrefix = "$JS.API") {
    this.mux = RequestMux.of(nc);
  }

  /**
   * The message `query` names in `stream`, or null when there is none (status 404). A `last_by_subj` query is put in
   * the subject, as nats.js does, so that permissions on the subject apply. Rejects with a JetStreamError for any
   * other status, and with the mux's errors (timeout, no responders). Does I/O.
   */
  async get(stream: string, query: DirectQuery): Promise<DirectMessage | null> {
    const last = "last_by_subj" in query;
    const subject = last ? `${this.apiPrefix}.DIRECT.GET.${stream}.${query.last_by_subj}` : `${this.apiPrefix}.DIRECT.GET.${stream}`;
    const reply = await this.mux.request(subject, last ? EMPTY : JSON.stringify(query), { timeout: this.timeoutMs });
    const h = reply.headers;
    if (h?.code === 404) return null;
    const seq = Number(h?.get("Nats-Sequence"));
    if (!h || h.code !== 0 || !Number.isInteger(seq)) {
      throw new JetStreamError(`direct get from ${stream} failed: ${h ? `${h.code} ${h.description}` : "a reply without headers"}`);
    }
    return { seq, subject: h.get("Nats-Subject"), data: reply.data };
  }
}
