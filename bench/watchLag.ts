/**
 * Figure 4, watch lag: how long after an event is stored does a watcher of the read API see it. The watcher is a
 * plain NATS watch through `ReadClient` (as any client would open one); receipt times are taken when each watch
 * message arrives, and each is compared with the stream message's own timestamp (set by nats-server when it
 * stored the event) of the sequence the object carries as `metadata.resourceVersion`. Same machine, same clock.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { ReadClient, type Watch, type WireWatchEvent } from "../src/projections/readClient.js";
import { LatencyHistogram, type LatencySummary } from "./openLoop.js";
import { nowMs } from "./parts.js";
import { OrderedConsumer } from "../src/events/consumers.js";

/** Watches the pods of one namespace, keeping the Running set and every (resourceVersion, receipt time). */
export class PodWatch {
  readonly running = new Set<string>();
  /** Active pods (created, not deleted) and those of them bound to a node. */
  readonly active = new Set<string>();
  readonly bound = new Set<string>();
  readonly seen: { sequence: number; at: number }[] = [];
  private watch: Watch | null = null;
  private loop: Promise<void> = Promise.resolve();

  /** Opens the watch after the read model's current resourceVersion (no backlog). */
  async open(nc: NatsConnection, prefix: string, namespace: string): Promise<void> {
    const client = new ReadClient(nc, prefix);
    const { resourceVersion } = await client.list("pods", namespace);
    this.watch = await client.watch("pods", namespace, { resourceVersion });
    const watch = this.watch;
    this.loop = (async () => {
      for await (const e of watch) this.record(e);
    })().catch(() => undefined);
  }

  /** Ends the watch. */
  async stop(): Promise<void> {
    await this.watch?.stop();
    await this.loop;
  }

  private record(e: WireWatchEvent): void {
    const at = nowMs();
    const meta = e.object.metadata as { name: string; resourceVersion?: string; deletionTimestamp?: string };
    const phase = (e.object.status as { phase?: string } | undefined)?.phase;
    const node = (e.object.spec as { nodeName?: string } | undefined)?.nodeName;
    const gone = e.type === "DELETED" || !!meta.deletionTimestamp;
    for (const [set, has] of [[this.active, !gone], [this.bound, !gone && !!node]] as const) {
      if (has) set.add(meta.name);
      else set.delete(meta.name);
    }
    this.seen.push({ sequence: Number(meta.resourceVersion), at });
    if (e.type !== "DELETED" && phase === "Running" && !meta.deletionTimestamp) this.running.add(meta.name);
    else this.running.delete(meta.name);
  }
}

/** Reads the stored timestamps of the sequences the watch saw and returns its lag percentiles (ms, HDR histogram). */
export async function watchLag(nc: NatsConnection, stream: string, seen: { sequence: number; at: number }[]): Promise<LatencySummary> {
  const lags = new LatencyHistogram();
  if (seen.length === 0) return lags.summary();
  // A loop, not Math.min(...seen): a --big run sees ~400,000 changes, more arguments than a call takes.
  let from = Infinity;
  let to = -Infinity;
  for (const s of seen) { from = Math.min(from, s.sequence); to = Math.max(to, s.sequence); }
  const stamps = new Map<number, number>();
  const consumer = await OrderedConsumer.open({ nc, stream }, { from });
  const messages = await consumer.consume({ batch: 4096 });
  for await (const m of messages) {
    stamps.set(m.sequence, Number(m.storedNanos / 1000n) / 1000);
    if (m.sequence >= to) break;
  }
  messages.stop();
  for (const s of seen) {
    const t = stamps.get(s.sequence);
    if (t !== undefined) lags.record(s.at - t);
  }
  return lags.summary();
}
