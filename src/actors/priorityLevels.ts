/**
 * Priority levels for the commands a host takes from NATS, after Kubernetes' API Priority and Fairness: each
 * sender role (users, controllers, node agents) has a level with its own concurrency limit and its own queue, so
 * a user's command waits only behind other users' commands, not behind the thousands a scale-up's controllers and
 * node agents send at once. Without it every command started at once, and each append queued on the server behind
 * all of them: a user's command took 0.3–1.6 s during a 10,000-pod scale-up.
 *
 * Within a level, commands wait per flow and the flows take the free seats in turn (APF's fair queuing, without its
 * shuffle sharding: a host's flows are few). Arrival order holds within a flow. The host names a batched command's
 * flow by its type: the replication controller's creates and the scheduler's binds share the controllers' level,
 * and in one arrival order a scale-up's thousands of creates went first while the binds waited behind them (at
 * 100,000 pods a pod waited ~70 s for its bind, long enough to be passivated and read back).
 *
 * Levels may yield to one they protect (`Yielding`): while it has work, or had some within a short window, they run only a
 * few commands at once, and take their full limit again once it is quiet, as APF's lower levels borrow only the seats
 * the others leave unused. Seats order the host's queue, not the machine's CPU: while a scale-up's commands ran
 * sixteen at a time per level, everything they set off (appends, every consumer's fold, the next commands) kept both
 * cores busy, and a user's command waited its turn for the CPU at every hop. Fewer of them at once leaves users the
 * CPU (docs/benchmarks.md).
 */
import { Fifo } from "../fifo.js";

/** While level `to` has work running, or had some within `windowMs`, each level named in `limits` runs at most that many at once. */
export interface Yielding {
  to: string;
  limits: Readonly<Record<string, number>>;
  windowMs: number;
  /** The clock of the window, in ms (default `performance.now`). */
  now?: () => number;
}

/** A level's limit and what it holds now. */
interface Level {
  limit: number;
  running: number;
  /** The waiting work of each flow that has some, in arrival order. */
  flows: Map<string, Fifo<() => void>>;
  /** The flows with waiting work, in the order they take the next seats (a flow served goes to the back). */
  turns: Fifo<string>;
}

/** The levels of one host, by name; a name without a configured limit gets `fallbackLimit`. */
export class PriorityLevels {
  private readonly levels = new Map<string, Level>();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  /** When the protected level last started or ended work (performance.now()). */
  private protectedAt = -Infinity;
  private release: NodeJS.Timeout | null = null;

  /** The configured levels exist from the start (their load reads 0 before their first command). */
  constructor(
    private readonly limits: Readonly<Record<string, number | undefined>>, private readonly fallbackLimit: number, private readonly yielding?: Yielding,
  ) {
    for (const name of Object.keys(limits)) this.level(name);
  }

  /**
   * Runs `work` once its level has a free seat (at once when it has one): the waiting flows of a level take the
   * seats in turn, and each flow's work runs in arrival order.
   */
  async run<T>(level: string, work: () => Promise<T>, flow = ""): Promise<T> {
    const l = this.level(level);
    const protects = this.yielding?.to === level;
    this.pending++;
    if (protects) this.protectedAt = this.now();
    // Behind work already waiting (arrival order holds within a flow), or when the level has no seat for it now.
    if (l.running >= this.limitOf(level, l) || l.turns.length > 0) {
      await new Promise<void>((resolve) => {
        wait(l, flow, resolve);
        this.fill(level, l);
      });
    } else l.running++;
    try {
      return await work();
    } finally {
      if (protects) this.protectedAt = this.now();
      l.running--;
      this.fill(level, l); // the seat passes to the next flow's first in line, unless the level yields and runs its share
      if (--this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Resolves once nothing is running or waiting at any level. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Commands running and waiting, by level (for metrics and tests). */
  load(): Record<string, { running: number; queued: number }> {
    return Object.fromEntries([...this.levels].map(([name, l]) => [name, { running: l.running, queued: [...l.flows.values()].reduce((n, q) => n + q.length, 0) }]));
  }

  private now(): number {
    return this.yielding?.now?.() ?? performance.now();
  }

  /**
   * The seats `level` may use now: fewer while the level it yields to has work running, or had some within the
   * window.
   */
  private limitOf(name: string, l: Level): number {
    const y = this.yielding;
    const share = y?.limits[name];
    if (!y || share === undefined) return l.limit;
    const active = (this.levels.get(y.to)?.running ?? 0) > 0 || this.now() - this.protectedAt < y.windowMs;
    return active ? Math.max(1, Math.min(share, l.limit)) : l.limit;
  }

  /**
   * Gives `level`'s waiting work the seats it may use now, in turn; while some of it waits on a level's yielding
   * only, looks again once the window may have passed.
   */
  private fill(name: string, l: Level): void {
    const limit = this.limitOf(name, l);
    while (l.running < limit) {
      const next = nextInTurn(l);
      if (!next) break;
      l.running++;
      next();
    }
    if (l.turns.length > 0 && limit < l.limit) this.releaseLater();
  }

  /** Fills every level again after the window (the timer does not keep the process alive). */
  private releaseLater(): void {
    if (this.release || !this.yielding) return;
    this.release = setTimeout(() => {
      this.release = null;
      for (const [name, l] of this.levels) this.fill(name, l);
    }, this.yielding.windowMs);
    this.release.unref();
  }

  private level(name: string): Level {
    let l = this.levels.get(name);
    if (!l) {
      l = { limit: Math.max(1, this.limits[name] ?? this.fallbackLimit), running: 0, flows: new Map(), turns: new Fifo() };
      this.levels.set(name, l);
    }
    return l;
  }
}

/** Queues `resume` behind its flow's waiting work; a flow that had none takes its turn at the back. */
function wait(l: Level, flow: string, resume: () => void): void {
  let q = l.flows.get(flow);
  if (!q) {
    l.flows.set(flow, (q = new Fifo()));
    l.turns.push(flow);
  }
  q.push(resume);
}

/** The first waiting work of the flow whose turn it is (that flow goes to the back if more of it waits); undefined when none waits. */
function nextInTurn(l: Level): (() => void) | undefined {
  const flow = l.turns.shift();
  if (flow === undefined) return undefined;
  const q = l.flows.get(flow) as Fifo<() => void>;
  const next = q.shift();
  if (q.length > 0) l.turns.push(flow);
  else l.flows.delete(flow);
  return next;
}
