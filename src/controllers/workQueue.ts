/**
 * A controller's work queue with client-go's semantics: keys, not events. A key added while it waits is not added
 * twice; a key is never processed by two workers at once (added while processing, it runs once more afterwards);
 * a failed key comes back after a per-key exponential backoff, forgotten on success. Several keys are processed at
 * once, up to `workers`.
 */
import type { Logger } from "pino";
import { Fifo } from "../fifo.js";

/**
 * A failure its controller already reports where users look (a condition, an Event): the queue retries it after the
 * backoff as any other, but logs it at debug, not warn, so a refused create does not fill the log.
 */
export class ReportedFailure extends Error {}

/** What a queue runs. */
export interface WorkQueueOptions {
  name: string;
  /** Brings the key's objects to what they should be; a throw requeues the key after its backoff. */
  process: (key: string) => Promise<void>;
  /** Keys processed at once; default 4. */
  workers?: number;
  /** First retry delay of a failing key, doubled per failure up to `maxDelayMs`; defaults 5 ms and 10 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  logger?: Logger;
}

/** A running queue. Its I/O is whatever `process` does. */
export class WorkQueue {
  private readonly queue = new Fifo<string>();
  /** Keys waiting to be processed (in `queue`, or to be queued again when their current run ends). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private active = 0;
  private stopped = false;
  private pumpScheduled = false;

  constructor(private readonly opts: WorkQueueOptions) {}

  /** Asks for `key` to be processed soon; a no-op while it already waits. */
  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.pumpSoon();
  }

  /** Keys waiting to be processed (client-go's `workqueue_depth`): each once, however often it was added. */
  get waiting(): number {
    return this.dirty.size;
  }

  /** Keys waiting or being processed. */
  get length(): number {
    return this.dirty.size + this.processing.size;
  }

  /** Resolves when nothing waits and nothing runs (retries scheduled for later do not count). */
  idle(): Promise<void> {
    return this.length === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking keys; resolves when the runs under way have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
    this.queue.clear();
    this.dirty.clear();
    this.wakeIfIdle(); // keys dropped before their start: no run's end would wake those waiting for idle
    await this.idle();
  }

  /**
   * Starts the queued keys at the end of this turn of the event loop, not at once: the changes a turn applies (the
   * events of one delivery: five pods going Ready, reported together) then meet in one sync of their key, where the
   * first change's sync would otherwise start at once, see the first alone, and the rest wait for a second sync
   * behind it (a pod's Ready to its Endpoints' append, figure 9's controller hop: p50 22–25 → 15–18 ms).
   */
  private pumpSoon(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private wakeIfIdle(): void {
    if (this.length === 0) this.idleWaiters.splice(0).forEach((w) => w());
  }

  private pump(): void {
    while (!this.stopped && this.active < (this.opts.workers ?? 4) && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.dirty.delete(key);
      this.processing.add(key);
      this.active++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.opts.process(key);
      this.failures.delete(key);
    } catch (err) {
      if (!this.stopped) this.retryLater(key, err);
    } finally {
      this.processing.delete(key);
      this.active--;
      if (this.dirty.has(key) && !this.stopped) this.queue.push(key);
      this.pump();
      this.wakeIfIdle();
    }
  }

  private retryLater(key: string, err: unknown): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = Math.min((this.opts.baseDelayMs ?? 5) * 2 ** (n - 1), this.opts.maxDelayMs ?? 10_000);
    const level = err instanceof ReportedFailure ? "debug" : "warn";
    this.opts.logger?.[level]({ err, queue: this.opts.name, key, failures: n, retryInMs: delay }, "processing failed; retrying after a backoff");
    if (this.retries.has(key)) return;
    const t = setTimeout(() => {
      this.retries.delete(key);
      this.add(key);
    }, delay);
    t.unref();
    this.retries.set(key, t);
  }
}
