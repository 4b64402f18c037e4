/**
 * Keys by the time each next needs a look (a node's grace period running out, its eviction timeout): a controller
 * wakes for the keys whose time came instead of going over all of them on a tick. Setting a key's time replaces the
 * one it had (a heartbeat moves a node's deadline later), so a key comes due once per time it was last given.
 * Times are on the controller's clock (`now`). One Node.js timer per key: moving a deadline is a clear and a set,
 * O(1) in Node's timer lists, where the alternative of a heap would leave a stale entry behind per heartbeat.
 */

/** Deadlines per key, and the timers that say when each comes due. Its only I/O is timers. */
/** The longest delay a Node timer keeps (about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class Deadlines {
  private readonly times = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private onDue: ((key: string) => void) | null = null;

  constructor(private readonly now: () => number) {}

  /** Makes `at` the time of `key`, in place of any it had. */
  set(key: string, at: number): void {
    if (this.times.get(key) === at) return;
    this.times.set(key, at);
    this.arm(key, at);
  }

  /**
   * Makes a wall-clock time (ms since the epoch, as a Job's or a CronJob's times are) the time of `key`, given the
   * wall clock now; a time undefined or already past is forgotten (the caller acts on it in the sync it is in).
   */
  setWallClock(key: string, dueMs: number | undefined, nowMs: number): void {
    if (dueMs === undefined || dueMs <= nowMs) this.delete(key);
    else this.set(key, this.now() + (dueMs - nowMs));
  }

  /** Forgets `key`'s time. */
  delete(key: string): void {
    this.times.delete(key);
    this.disarm(key);
  }

  /** The time of `key`, if it has one that has not come due. */
  get(key: string): number | undefined {
    return this.times.get(key);
  }

  /**
   * Calls `onDue(key)` once `now()` reaches the key's time (and forgets that time), for the times set before and
   * after, until the returned function is called. One listener at a time.
   */
  fire(onDue: (key: string) => void): () => void {
    this.onDue = onDue;
    for (const [key, at] of this.times) this.arm(key, at);
    return () => {
      this.onDue = null;
      for (const key of [...this.timers.keys()]) this.disarm(key);
    };
  }

  private arm(key: string, at: number): void {
    this.disarm(key);
    if (!this.onDue) return;
    // A timer may fire a fraction of a millisecond short of our clock: wake() then waits the rest.
    // Node fires a delay past 2^31-1 ms at once (1 ms): a far deadline (a long toleration) wakes at most that late and re-arms.
    const timer = setTimeout(() => this.wake(key, at), Math.min(MAX_DELAY_MS, Math.max(1, Math.ceil(at - this.now()))));
    timer.unref();
    this.timers.set(key, timer);
  }

  private disarm(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private wake(key: string, at: number): void {
    this.timers.delete(key);
    if (this.times.get(key) !== at || !this.onDue) return;
    if (this.now() < at) return this.arm(key, at);
    this.times.delete(key);
    this.onDue(key);
  }
}
