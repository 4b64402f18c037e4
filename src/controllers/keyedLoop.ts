/**
 * An informer-style loop: the view's changes are mapped to the keys they concern and fed to a work queue, so a
 * controller works on one key's delta instead of a round over the whole view; a periodic resync adds every key as
 * a safety net (lost changes, time-based decisions).
 */
import type { Logger } from "pino";
import type { ViewChange } from "../projections/clusterView.js";
import { WorkQueue } from "./workQueue.js";

/** A controller that works key by key. */
export interface KeyedController {
  /** The keys a change of the view concerns. Reads the view, no I/O. */
  keysOf(change: ViewChange): string[];
  /** Every key there is, for the first pass and the resync. */
  allKeys(): string[];
  /** Brings one key's objects to what they should be; a throw retries the key after a backoff. */
  sync(key: string): Promise<void>;
  /**
   * Optional: keys from elsewhere than the view (a heartbeat watch, a deadline's timer), passed to `add` from the
   * loop's start until the function it returns is called at the loop's stop.
   */
  watch?(add: (key: string) => void): () => void;
}

/** A running keyed loop. */
export interface KeyedLoop {
  readonly name: string;
  /** Keys waiting in its queue. */
  depth(): number;
  /** Queues the keys a change concerns. */
  offer(change: ViewChange): void;
  /** Queues every key (a resync now). */
  resync(): void;
  /** Resolves when no key waits or runs. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `controller` on a work queue, with every key queued at once and again every `resyncMs`. */
export function startKeyedLoop(name: string, controller: KeyedController, opts: { resyncMs: number; workers?: number; logger?: Logger }): KeyedLoop {
  const queue = new WorkQueue({ name, process: (key) => controller.sync(key), ...(opts.workers ? { workers: opts.workers } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  const addAll = () => controller.allKeys().forEach((k) => queue.add(k));
  const resync = setInterval(addAll, opts.resyncMs);
  resync.unref();
  const unwatch = controller.watch?.((k) => queue.add(k));
  // The first pass starts once the caller has its loop (a sync may look at what the caller sets up around it).
  queueMicrotask(addAll);
  return {
    name,
    depth: () => queue.waiting,
    offer: (change) => controller.keysOf(change).forEach((k) => queue.add(k)),
    resync: addAll,
    idle: () => queue.idle(),
    async stop() {
      clearInterval(resync);
      unwatch?.();
      await queue.stop();
    },
  };
}
