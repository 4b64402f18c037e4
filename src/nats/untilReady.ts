/**
 * Waiting for the cluster at start: a process started before NATS (or before a fresh JetStream cluster has elected
 * its leaders) retries with backoff and says what it waits for, instead of exiting on its first timeout.
 */
import { StatusError } from "../api/status.js";
import type { Logger } from "../log.js";

/** How to wait. */
export interface UntilReadyOptions {
  log: Logger;
  /** First pause between attempts; doubled each time up to `maxDelayMs`. Defaults 250 and 5000. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this long (default: never). */
  timeoutMs?: number;
  /** Errors that no wait can mend (default: a Forbidden StatusError, i.e. wrong credentials). */
  isFinal?: (err: unknown) => boolean;
  /** Stop waiting (the process is stopping). */
  signal?: AbortSignal;
}

/** The pause before attempt `n + 1` (n ≥ 1): doubling from `initial`, at most `max`. Pure. */
export function backoffDelay(n: number, initial: number, max: number): number {
  return Math.min(max, initial * 2 ** Math.min(n - 1, 20));
}

const finalByDefault = (err: unknown) => err instanceof StatusError && err.reason === "Forbidden";

/**
 * Runs `attempt` until it resolves. After each failure it logs (warn) `waiting for <what>` with the error and
 * the pause, and tries again after that pause. A final error, the timeout or the abort signal ends the wait with
 * the last error.
 */
export async function untilReady<T>(what: string, attempt: () => Promise<T>, opts: UntilReadyOptions): Promise<T> {
  const started = Date.now();
  const isFinal = opts.isFinal ?? finalByDefault;
  for (let n = 1; ; n++) {
    try {
      const value = await attempt();
      if (n > 1) opts.log.warn({ what, attempts: n, waitedMs: Date.now() - started }, `${what}: ready`);
      return value;
    } catch (err) {
      const pause = backoffDelay(n, opts.initialDelayMs ?? 250, opts.maxDelayMs ?? 5_000);
      const over = opts.timeoutMs !== undefined && Date.now() - started + pause > opts.timeoutMs;
      if (isFinal(err) || over || opts.signal?.aborted) throw err;
      opts.log.warn({ what, attempt: n, err: (err as Error).message ?? String(err), retryInMs: pause }, `waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
