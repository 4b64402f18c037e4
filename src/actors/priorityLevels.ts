/**
 * Priority levels for the commands a host takes from NATS, after Kubernetes' API Priority and Fairness: each
 * sender role (users, controllers, node agents) has a level with its own concurrency limit and its own queue, so
 * a user's command waits only behind other users' commands, not behind the thousands a scale-up's controllers and
 * node agents send at once. Without it every command started at once, and each append queued on the server behind
 * all of them: a user's command took 0.3–1.6 s during a 10,000-pod scale-up.
 */
import { Fifo } from "../fifo.js";

/** A level's limit and what it holds now. */
interface Level {
  limit: number;
  running: number;
  queued: Fifo<() => void>;
}

/** The levels of one host, by name; a name without a configured limit gets `fallbackLimit`. */
export class PriorityLevels {
  private readonly levels = new Map<string, Level>();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly limits: Readonly<Record<string, number | undefined>>, private readonly fallbackLimit: number) {}

  /** Runs `work` once its level has a free seat (at once when it has one); in arrival order within a level. */
  async run<T>(level: string, work: () => Promise<T>): Promise<T> {
    const l = this.level(level);
    this.pending++;
    if (l.running >= l.limit) await new Promise<void>((resolve) => l.queued.push(resolve));
    else l.running++;
    try {
      return await work();
    } finally {
      const next = l.queued.shift();
      if (next) next(); // the seat passes to the next in line
      else l.running--;
      if (--this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Resolves once nothing is running or waiting at any level. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Commands running and waiting, by level (for metrics and tests). */
  load(): Record<string, { running: number; queued: number }> {
    return Object.fromEntries([...this.levels].map(([name, l]) => [name, { running: l.running, queued: l.queued.length }]));
  }

  private level(name: string): Level {
    let l = this.levels.get(name);
    if (!l) {
      l = { limit: Math.max(1, this.limits[name] ?? this.fallbackLimit), running: 0, queued: new Fifo() };
      this.levels.set(name, l);
    }
    return l;
  }
}
