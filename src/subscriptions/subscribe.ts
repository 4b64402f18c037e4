/**
 * Typed, resumable event subscriptions: an ordered consumer on COX_EVENTS from a given stream sequence, each event
 * with its sequence, so a subscriber that stops can start again where it left off (`from: last.sequence + 1`).
 */
import { OrderedConsumer, type Delivery } from "../events/consumers.js";
import { refFromEventSubject } from "../events/subjects.js";
import { decodeEvent } from "../events/upcast.js";
import { EVENT_STREAM, eventFilterOf, isStreamNotFound } from "../cli/coxctl/eventFeed.js";
import type { ClusterBase } from "../client/cluster.js";
import { CoxswainStatusError, isPermissionViolation } from "../client/statusError.js";
import type { KindEvent, KindName } from "../client/types.js";

/** What to subscribe to and from where. */
export interface SubscribeOptions<R extends KindName> {
  /** The kind (`pods`); absent: every kind. */
  kind?: R;
  /** The namespace (ignored for cluster-scoped kinds); absent: every namespace. */
  namespace?: string;
  /** One entity's events only. */
  name?: string;
  /** The first stream sequence wanted (default 1: the whole history). To resume, pass the last sequence seen + 1. */
  from?: number;
  /** Keep waiting for new events after the end of the stream (default true); false ends at the current end. */
  follow?: boolean;
  /** Ends the iteration. Breaking out of the loop or closing the cluster ends it too. */
  signal?: AbortSignal;
}

/**
 * The events of a kind (or every kind), oldest first, each narrowed by `type` and carrying its stream `sequence`.
 * It survives a NATS restart: the consumer is recreated after the last sequence delivered, so nothing is delivered
 * twice or skipped. A stream that does not exist yet is waited for when following. It needs JetStream consumers on
 * COX_EVENTS (admin, viewer and the control plane's roles); a user without them (a tenant) gets `Forbidden` at once:
 * a tenant follows its namespace with `watch`, or with a plain NATS subscription to `<prefix>.ev.*.<ns>.>`.
 */
export async function* subscribe<R extends KindName = KindName>(cluster: ClusterBase, options: SubscribeOptions<R> = {}): AsyncGenerator<KindEvent<R>> {
  const { connection: nc, prefix } = cluster;
  const filter = eventFilterOf(prefix, { resource: options.kind, namespace: options.namespace, name: options.name });
  const follow = options.follow ?? true;
  let next = Math.max(1, options.from ?? 1);
  let pause = 100;
  while (!options.signal?.aborted && !nc.isClosed()) {
    let messages: Delivery | undefined;
    const stop = () => messages?.stop();
    options.signal?.addEventListener("abort", stop, { once: true });
    try {
      const consumer = await OrderedConsumer.open({ nc, stream: EVENT_STREAM }, { filter, from: next });
      if (!follow && (await consumer.pending()) === 0) return;
      messages = await consumer.consume({ batch: 256, expiresMs: 1_000 });
      if (options.signal?.aborted) return;
      for await (const m of messages) {
        next = m.sequence + 1;
        pause = 100;
        const event = typed<R>(prefix, m.sequence, m.subject, m.data);
        if (event) yield event;
        if (!follow && m.pending === 0) return;
      }
    } catch (err) {
      if (isPermissionViolation((err as Error).message ?? "")) throw CoxswainStatusError.from(err);
      if (!follow && isStreamNotFound(err)) return;
    } finally {
      options.signal?.removeEventListener("abort", stop);
      messages?.stop();
    }
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 2_000);
  }
}

/** An event as the subscriber sees it, or null for a message that is not an event (it is skipped). Pure. */
function typed<R extends KindName>(prefix: string, sequence: number, subject: string, data: Uint8Array): KindEvent<R> | null {
  const ref = refFromEventSubject(prefix, subject);
  if (!ref) return null;
  try {
    const event = decodeEvent(data);
    return { ...event, resource: ref.resource, sequence, subject } as KindEvent<R>;
  } catch {
    return null;
  }
}
