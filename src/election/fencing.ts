/** Fencing: the current lease term per component, kept in memory from a watch on the whole lease bucket. */
import type { NatsConnection } from "@nats-io/nats-core";
import { pino, type Logger } from "pino";
import { isKv, openLeaseBucket, toLeaseEntry, type LeaseBucketOptions, type LeaseSource } from "./leaseStore.js";
import { LEASE_BUCKET } from "../events/names.js";
import type { KvBucket, KvRecord } from "../events/kvBucket.js";

/** Options of a TermWatcher. */
export interface TermWatcherOptions extends LeaseBucketOptions {
  logger?: Logger;
  /** How long to wait before re-watching after the watch ended (server restart); default 250 ms. */
  rewatchDelayMs?: number;
  /**
   * How often the known components' leases are also read directly; default 1000 ms. A watch whose consumer lived on
   * a server that died (a stream leader change in a cluster) may stall without an error; the reads cover it.
   */
  pollMs?: number;
}

/**
 * Tracks the highest term seen per component, so the actor host can reject a command that carries an older
 * term (a deposed leader still acting). Terms only go up: a released lease keeps its term in the delete marker.
 */
export class TermWatcher {
  private readonly terms = new Map<string, number>();
  private readonly log: Logger;
  private stopped = false;
  private current: { stop(): void } | null = null;
  private readonly loading: Promise<void>;
  private statusIter: AsyncIterator<unknown> | null = null;
  private poller: NodeJS.Timeout | null = null;

  /** Starts watching at once; `ready()` resolves when the bucket's current values are loaded. */
  constructor(private readonly source: LeaseSource, private readonly options: TermWatcherOptions = {}) {
    this.log = (options.logger ?? pino({ level: process.env.LOG_LEVEL ?? "silent" })).child({ termWatcher: options.bucket ?? LEASE_BUCKET });
    this.loading = this.start();
    this.loading.catch(() => undefined);
    if (!isKv(source)) void this.rewatchOnReconnect(source);
  }

  /** Resolves once every component's term as of the call is in memory; rejects if the bucket cannot be read. */
  ready(): Promise<void> {
    return this.loading;
  }

  /** The highest term seen for `component`, 0 if none. */
  currentTerm(component: string): number {
    return this.terms.get(component) ?? 0;
  }

  /** True when `term` is older than the current term of `component` (the sender was deposed). */
  isStale(component: string, term: number): boolean {
    return term < this.currentTerm(component);
  }

  /**
   * Records a term seen elsewhere (on a command from the component's leader): terms only go up, so a command
   * with a newer term proves an older one stale even before the watch has shown the new lease.
   */
  observe(component: string, term: number): void {
    if (term > this.currentTerm(component)) this.terms.set(component, term);
  }

  /** A copy of all known terms. */
  snapshot(): Map<string, number> {
    return new Map(this.terms);
  }

  /** Stops watching. */
  stop(): void {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    this.current?.stop();
    void this.statusIter?.return?.();
  }

  /** The watch's consumer may have died with the old server; ending it makes the loop below re-watch at once. */
  private async rewatchOnReconnect(nc: NatsConnection): Promise<void> {
    const it = nc.status()[Symbol.asyncIterator]();
    this.statusIter = it;
    for (;;) {
      const r = await it.next();
      if (r.done || this.stopped) return;
      if (r.value.type === "reconnect") this.current?.stop();
    }
  }

  private async start(): Promise<void> {
    const kv = isKv(this.source) ? this.source : await openLeaseBucket(this.source, this.options);
    await this.watch(kv);
    // The watch is started first, then the history read: together they cover every write, and max() makes order irrelevant.
    const history = await kv.history(">");
    for await (const e of history) this.apply(e);
    if (this.stopped) return;
    this.poller = setInterval(() => void this.poll(kv), this.options.pollMs ?? 1_000);
    this.poller.unref();
  }

  private async poll(kv: KvBucket): Promise<void> {
    for (const component of [...this.terms.keys()]) {
      const e = await kv.get(component).catch(() => null);
      if (e) this.apply(e);
    }
  }

  private async watch(kv: KvBucket): Promise<void> {
    const iter = await kv.watch({ key: ">", updatesOnly: true });
    this.current = iter;
    void (async () => {
      try {
        for await (const e of iter) this.apply(e);
      } catch (err) {
        this.log.debug({ err }, "lease watch failed");
      }
      if (!this.stopped) this.rewatch(kv);
    })();
  }

  /** After the watch ended (e.g. the server restarted), watch again and catch up with a history read. */
  private rewatch(kv: KvBucket): void {
    setTimeout(() => {
      if (this.stopped) return;
      void (async () => {
        try {
          await this.watch(kv);
          for await (const e of await kv.history(">")) this.apply(e);
        } catch (err) {
          this.log.debug({ err }, "re-watch failed; retrying");
          this.rewatch(kv);
        }
      })();
    }, this.options.rewatchDelayMs ?? 250).unref();
  }

  private apply(e: KvRecord): void {
    const { key, term } = toLeaseEntry(e);
    if (term > this.currentTerm(key)) {
      this.terms.set(key, term);
      this.log.debug({ component: key, term }, "new term");
    }
  }
}
