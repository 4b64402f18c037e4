/** Reading COX_EVENTS for `events` and `describe`: an ordered consumer with a subject filter, to the end or following. */
import type { NatsConnection } from "@nats-io/transport-node";
import { RESOURCE_INFO, type EntityRef, type Resource } from "../../api/kinds.js";
import { StatusError } from "../../api/status.js";
import { eventSubject, nameToken } from "../../events/subjects.js";
import type { StoredEvent } from "../../events/envelope.js";
import { isStreamNotFound } from "../../events/streamErrors.js";
import { decodeEvent } from "../../events/upcast.js";
import { isSealed } from "../../events/sealing.js";
import { EVENT_STREAM } from "../../events/names.js";
import { OrderedConsumer } from "../../events/consumers.js";

/** The event stream's name. */
export { EVENT_STREAM };

/** What to read: which entities, and whether to keep following after the end. */
export interface EventQuery {
  resource?: Resource | undefined;
  /** A namespace (ignored for cluster-scoped kinds); undefined: all. */
  namespace?: string | undefined;
  name?: string | undefined;
  follow?: boolean;
  signal?: AbortSignal;
}

/** The subject filter of a query: `cox.ev.<kind|*>.<ns|*>.<name|*>`, or `cox.ev.>`. Pure. */
export function eventFilterOf(prefix: string, q: EventQuery): string {
  if (!q.resource && !q.namespace && !q.name) return `${prefix}.ev.>`;
  const ns = q.resource && RESOURCE_INFO[q.resource].clusterScoped ? "_" : q.namespace ?? "*";
  return `${prefix}.ev.${q.resource ?? "*"}.${ns}.${q.name === undefined ? "*" : nameToken(q.name)}`;
}

/** The filter of one entity's events. Pure. */
export function entityFilter(prefix: string, ref: EntityRef): string {
  return eventSubject(prefix, ref);
}

/** The events matching `filter`, oldest first; with `follow`, keeps waiting for new ones until the signal aborts. */
export async function* readEvents(nc: NatsConnection, filter: string, opts: { follow?: boolean; signal?: AbortSignal } = {}): AsyncGenerator<StoredEvent> {
  let consumer;
  try {
    consumer = await OrderedConsumer.open({ nc, stream: EVENT_STREAM }, { filter });
    if (!opts.follow && (await consumer.pending()) === 0) return;
  } catch (err) {
    if (isStreamNotFound(err)) return;
    throw new StatusError("Unavailable", `cannot read ${EVENT_STREAM}: ${(err as Error).message}`, {}, { cause: err });
  }
  const messages = await consumer.consume();
  const stop = () => void messages.stop();
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const m of messages) {
      yield { sequence: m.sequence, subject: m.subject, event: decodeEvent(m.data) };
      if (!opts.follow && m.pending === 0) break;
    }
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    messages.stop();
  }
}

export { isStreamNotFound };

/**
 * A short account of an event's data: `nodeName=node-1 hostIP=10.0.0.1`; a whole object is named, not dumped, and
 * sealed data (a Secret's, read without the key) is `(sealed)`. Pure.
 */
export function summarizeData(data: unknown, max = 80): string {
  if (isSealed(data)) return "(sealed)";
  if (!data || typeof data !== "object") return data === undefined ? "" : JSON.stringify(data);
  const parts = Object.entries(data as Record<string, unknown>).map(([k, v]) => {
    if (k === "object") return "(whole object)";
    return `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`;
  });
  const text = parts.join(" ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
