/**
 * A level-triggered loop: it reconciles when poked (a change in the view) and on a periodic resync, never two
 * rounds at once, and coalesces every poke that arrives before or during a round into one more round.
 */
import type { Logger } from "pino";

/** What a loop runs and how often. */
export interface LoopOptions {
  name: string;
  /** One reconciliation over the whole view; a throw is logged and the next poke or resync tries again. */
  reconcile: () => Promise<void>;
  /** A periodic poke, so that time-based decisions and lost pokes are caught up. */
  resyncMs: number;
  /** How long a poke waits for others to join it (a burst of view changes makes one round); default 0. */
  coalesceMs?: number;
  logger?: Logger;
}

/** A running loop. */
export interface Loop {
  /** Asks for a round soon (coalesced with any other request). */
  poke(): void;
  /** Stops poking; resolves when the round under way, if any, has ended. */
  stop(): Promise<void>;
}

/** Starts a loop whose first round comes at once. Its I/O is whatever `reconcile` does. */
export function startLoop(opts: LoopOptions): Loop {
  return new LevelLoop(opts);
}

/** The longest rest between two rounds in a row. */
const MAX_REST_MS = 250;

class LevelLoop implements Loop {
  private stopped = false;
  private scheduled: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly resync: NodeJS.Timeout;

  constructor(private readonly opts: LoopOptions) {
    this.resync = setInterval(() => this.poke(), opts.resyncMs);
    this.resync.unref();
    this.poke();
  }

  poke(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.scheduled ??= setTimeout(() => {
      this.scheduled = null;
      if (!this.stopped) this.running = this.rounds();
    }, this.opts.coalesceMs ?? 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resync);
    if (this.scheduled) clearTimeout(this.scheduled);
    await this.running;
  }

  /**
   * Rounds until no poke arrived during the last one. Between two rounds in a row the loop rests as long as the
   * last round took (at most 250 ms): under a stream of changes each round then takes in more of them, and a loop
   * that reads the whole view cannot keep its process busy all the time.
   */
  private async rounds(): Promise<void> {
    let lastMs = 0;
    do {
      if (lastMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(lastMs, MAX_REST_MS)));
      this.again = false;
      const began = performance.now();
      try {
        await this.opts.reconcile();
      } catch (err) {
        // After stop (leadership lost) a round ends by a refused send: expected, not worth a warning.
        const log = this.opts.logger;
        if (this.stopped) log?.debug({ err, loop: this.opts.name }, "round ended by stop");
        else log?.warn({ err, loop: this.opts.name }, "reconcile failed; retrying on the next change or resync");
      }
      lastMs = performance.now() - began;
    } while (this.again && !this.stopped);
    this.running = null;
  }
}
