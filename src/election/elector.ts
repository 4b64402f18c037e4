/** The elector: campaigns for one component's lease in KV, renews it while leading, and reports leadership changes. */
import { hostname } from "node:os";
import type { NatsConnection } from "@nats-io/nats-core";
import { pino, type Logger } from "pino";
import { againOnReconnect } from "../events/reconnects.js";
import type { KvBucket, KvRecord } from "../events/kvBucket.js";
import { isWrongLastSequence } from "../events/streamErrors.js";
import { decideLease, leaseOptions, type Leading, type LeaseOptions, type LeaseRecord, type ObservedLease } from "./lease.js";
import {
  isKv, openLeaseBucket, readLease, releaseLease, toLeaseEntry, writeLease,
  type LeaseBucketOptions, type LeaseEntry, type LeaseSource,
} from "./leaseStore.js";

/** A change in leadership as this elector sees it. */
export type LeadershipEvent =
  | { type: "leader"; term: number }
  | { type: "lost"; reason: "expired" | "superseded" | "stopped" }
  | { type: "observed"; holder: string | null; term: number };

/** How to campaign: the timing (validated by `leaseOptions`), the bucket, a logger, and a test hook. */
export interface ElectorOptions extends Partial<LeaseOptions>, LeaseBucketOptions {
  /** A pino logger; default a silent one unless LOG_LEVEL is set. Logs at debug level. */
  logger?: Logger;
  /** Test hook: while it returns true the elector does no KV I/O at all, like a frozen process. */
  paused?: () => boolean;
}

/** A running campaign for one component's lease. */
export interface Elector extends AsyncIterable<LeadershipEvent> {
  readonly component: string;
  readonly identity: string;
  /**
   * True while leading and the last successful renewal is younger than the renew deadline (checked now, not at the
   * last tick). Past it the elector still tries to renew until the lease expires: a renewal that lands makes this
   * true again, in the same term.
   */
  isLeader(): boolean;
  /** The fencing term while leading, else null. */
  term(): number | null;
  /** Calls `listener` for every event; returns the unsubscribe function. */
  onChange(listener: (e: LeadershipEvent) => void): () => void;
  /** An iterator of events from now on; it ends when the elector stops. */
  events(): AsyncIterableIterator<LeadershipEvent>;
  /** Stops campaigning and, if leading, deletes the lease (revision-checked) so the next candidate takes over at once. */
  stop(): Promise<void>;
}

/** `<component>/<hostname>/<pid>` (PROTOCOL.md §4). */
export function defaultIdentity(component: string): string {
  return `${component}/${hostname()}/${process.pid}`;
}

/**
 * Starts campaigning for `component`'s lease at once, in the background. Throws a RangeError at once on invalid
 * timing (see `leaseOptions`); never throws on I/O: failures (server away, timeouts) count as failed renewals and are retried.
 */
export function elect(source: LeaseSource, component: string, identity: string, options: ElectorOptions = {}): Elector {
  return new KvElector(source, component, identity, options);
}

class KvElector implements Elector {
  private readonly opts: LeaseOptions;
  private readonly log: Logger;
  private kv: KvBucket | null = null;
  private watching = false;
  private watchIter: { stop(): void } | null = null;
  private observed: ObservedLease | null = null;
  private leading: Leading | null = null;
  private lastReported = "";
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private readonly listeners = new Set<(e: LeadershipEvent) => void>();
  private readonly loop: Promise<void>;
  private stopping: Promise<void> | null = null;
  private statusIter: AsyncIterator<unknown> | null = null;
  private markStopped!: () => void;
  private readonly stoppedSignal = new Promise<void>((resolve) => (this.markStopped = resolve));

  constructor(
    private readonly source: LeaseSource,
    readonly component: string,
    readonly identity: string,
    private readonly options: ElectorOptions,
  ) {
    this.opts = leaseOptions(options);
    this.log = (options.logger ?? pino({ level: process.env.LOG_LEVEL ?? "silent" })).child({ election: component, identity });
    if (!isKv(source)) void this.restartWatchOnReconnect(source);
    this.loop = this.run();
  }

  isLeader(): boolean {
    return this.leading !== null && performance.now() - this.leading.renewedAt < this.opts.renewDeadlineMs;
  }

  term(): number | null {
    return this.isLeader() ? (this.leading?.term ?? null) : null;
  }

  onChange(listener: (e: LeadershipEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  events(): AsyncIterableIterator<LeadershipEvent> {
    const queue: LeadershipEvent[] = [];
    let notify: (() => void) | null = null;
    let done = this.stopped;
    const off = this.onChange((e) => {
      queue.push(e);
      notify?.();
    });
    const end = () => {
      done = true;
      off();
      notify?.();
    };
    void this.stoppedSignal.then(end);
    const iter: AsyncIterableIterator<LeadershipEvent> = {
      next: async () => {
        while (queue.length === 0 && !done) await new Promise<void>((r) => (notify = r));
        notify = null;
        const value = queue.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
      return: async () => {
        end();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iter,
    };
    return iter;
  }

  [Symbol.asyncIterator](): AsyncIterator<LeadershipEvent> {
    return this.events();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    this.watchIter?.stop();
    void this.statusIter?.return?.();
    const { leading, observed, kv } = this;
    if (leading && observed?.record && kv) {
      this.leading = null;
      this.emit({ type: "lost", reason: "stopped" });
      try {
        await releaseLease(kv, this.component, observed.record, observed.revision, this.opts.renewDeadlineMs);
        this.log.debug({ term: leading.term, revision: observed.revision }, "released the lease");
      } catch (err) {
        // Someone else moved the key on, or the server is away: candidates take over after a lease duration.
        this.log.debug({ err }, "could not release the lease");
      }
    }
    this.markStopped();
  }

  /** The campaign: one decision at a time, so this elector never races itself on the key. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      let waitMs = this.opts.retryPeriodMs;
      try {
        waitMs = await this.step();
      } catch (err) {
        this.log.debug({ err }, "election step failed");
      }
      if (!this.stopped) await this.sleep(waitMs);
    }
  }

  private async step(): Promise<number> {
    const paused = this.options.paused?.() ?? false;
    if (!paused) {
      const kv = await this.bucket();
      // A candidate re-reads before deciding, so a takeover never rests on a stale view.
      if (!this.leading) this.observe(await this.again(() => readLease(kv, this.component, this.opts.renewDeadlineMs)));
    }
    const d = decideLease({
      now: performance.now(), wallTime: new Date().toISOString(), observed: this.observed,
      self: this.identity, options: this.opts, leading: this.leading,
    });
    if (d.action === "stepDown") return this.stepDown(d.reason);
    if (d.action === "renewLate" && paused) return this.stepDown("expired"); // its last try cannot be made
    if (paused || d.action === "wait") return d.waitMs;
    return this.write(d.action, d.record, d.waitMs);
  }

  private stepDown(reason: "expired" | "superseded"): number {
    this.log.debug({ reason, term: this.leading?.term }, "stepping down");
    this.leading = null;
    this.emit({ type: "lost", reason });
    return 0;
  }

  /**
   * Acquires or renews with a revision-checked write; a conflict means someone else wrote first. A late renewal
   * (`renewLate`) that does not land steps down.
   */
  private async write(action: "acquire" | "renew" | "renewLate", record: LeaseRecord, waitMs: number): Promise<number> {
    const kv = await this.bucket();
    const revision = this.observed?.revision ?? 0;
    const sentAt = performance.now();
    // A renewal may land until the lease expires (past the renew deadline it resumes a holder that stopped acting);
    // the last try after that, and an acquisition, within a renew deadline from now.
    const deadline = action === "renew" && this.leading ? this.leading.renewedAt + this.opts.leaseDurationMs : sentAt + this.opts.renewDeadlineMs;
    try {
      // Sent again at once after a reconnect (the first may be lost with the old server): if the first did land, the
      // repeat conflicts on the revision and the lease is read again. `sentAt` stays the first send's (conservative).
      const next = await this.again(() => writeLease(kv, this.component, record, revision, Math.max(1, deadline - performance.now())));
      this.observeOwn(record, next, sentAt);
      const wasLeading = this.leading !== null;
      this.leading = { term: record.leaseTransitions, renewedAt: sentAt };
      if (!wasLeading) {
        this.log.debug({ term: record.leaseTransitions, revision: next }, "acquired the lease");
        this.emit({ type: "leader", term: record.leaseTransitions });
      }
      return this.opts.retryPeriodMs;
    } catch (err) {
      const moved = isWrongLastSequence(err);
      if (action === "renewLate") this.stepDown(moved ? "superseded" : "expired");
      if (!moved) {
        this.log.debug({ err, action }, "lease write failed");
        return action === "renewLate" ? 0 : waitMs;
      }
      this.log.debug({ action, revision }, "lease moved on; re-reading");
      // Taken even when its revision is lower than the one refused: the key's history may have started again (its
      // bucket made anew, or a replica that numbered the stream otherwise), and a revision the stream does not have
      // would be refused forever. Safe: every write is checked against the revision the stream holds.
      this.observe(await readLease(kv, this.component, this.opts.renewDeadlineMs), true);
      return 0;
    }
  }

  /**
   * Takes in an entry from a read or the watch; only newer revisions count (a late watch message or a lagging read
   * must not take it back), unless `afterRefusal`: a read after the stream refused a write on the revision held.
   * `observedAt` moves only on change.
   */
  private observe(entry: LeaseEntry | null, afterRefusal = false): void {
    const prev = this.observed;
    if (!entry) {
      // Purged (or never written): revision 0 makes the next acquisition a create; the known term is kept.
      if (prev && prev.revision !== 0) this.observed = { ...prev, record: null, revision: 0, observedAt: performance.now() };
      this.report();
      return;
    }
    if (prev && (afterRefusal ? entry.revision === prev.revision : entry.revision <= prev.revision)) return;
    const lastTerm = Math.max(prev?.lastTerm ?? 0, entry.term);
    this.observed = { record: entry.record, lastTerm, revision: entry.revision, observedAt: performance.now() };
    this.report();
  }

  private observeOwn(record: LeaseRecord, revision: number, at: number): void {
    const lastTerm = Math.max(this.observed?.lastTerm ?? 0, record.leaseTransitions);
    this.observed = { record, lastTerm, revision, observedAt: at };
    this.report();
  }

  /** Emits `observed` when the holder or term changes (not on every renewal). */
  private report(): void {
    const o = this.observed;
    if (!o) return;
    const holder = o.record?.holderIdentity ?? null;
    const term = Math.max(o.lastTerm, o.record?.leaseTransitions ?? 0);
    const key = `${holder ?? ""}|${term}`;
    if (key === this.lastReported) return;
    this.lastReported = key;
    this.emit({ type: "observed", holder, term });
  }

  private emit(e: LeadershipEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.debug({ err }, "leadership listener threw");
      }
    }
  }

  /** Runs a KV operation, again at once when the connection reconnects while it is under way (a KV given directly: once). */
  private again<T>(op: () => Promise<T>): Promise<T> {
    return isKv(this.source) ? op() : againOnReconnect(this.source, op);
  }

  private async bucket(): Promise<KvBucket> {
    this.kv ??= await openLeaseBucket(this.source, this.options);
    if (!this.watching && !this.stopped) await this.startWatch(this.kv);
    return this.kv;
  }

  /** Watches the key so a release or a new holder is acted on at once, not at the next tick. */
  private async startWatch(kv: KvBucket): Promise<void> {
    this.watching = true;
    let iter;
    try {
      iter = await kv.watch({ key: this.component });
    } catch (err) {
      this.watching = false;
      throw err;
    }
    this.watchIter = iter;
    void (async () => {
      try {
        for await (const e of iter) this.onWatch(e);
      } catch (err) {
        this.log.debug({ err }, "lease watch failed");
      } finally {
        if (this.watchIter === iter) this.watching = false;
      }
    })();
  }

  private onWatch(e: KvRecord): void {
    const before = this.observed;
    this.observe(toLeaseEntry(e));
    const after = this.observed;
    const changedHands =
      after !== before && (!after?.record || after.record.holderIdentity !== before?.record?.holderIdentity ||
        after.record.leaseTransitions !== before?.record?.leaseTransitions);
    if (changedHands) this.wake();
  }

  /** After a reconnect the watch's consumer may be gone with the old server; start a fresh one. */
  private async restartWatchOnReconnect(nc: NatsConnection): Promise<void> {
    const it = nc.status()[Symbol.asyncIterator]();
    this.statusIter = it;
    for (;;) {
      const r = await it.next();
      if (r.done || this.stopped) break;
      if (r.value.type !== "reconnect") continue;
      this.log.debug("reconnected; restarting the lease watch");
      const old = this.watchIter;
      this.watching = false;
      this.watchIter = null;
      old?.stop();
      this.wake();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || ms <= 0) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}
