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
 */
import { Fifo } from "../fifo.js";

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

  /** The configured levels exist from the start (their load reads 0 before their first command). */
  constructor(private readonly limits: Readonly<Record<string, number | undefined>>, private readonly fallbackLimit: number) {
    for (const name of Object.keys(limits)) this.level(name);
  }

  /**
   * Runs `work` once its level has a free seat (at once when it has one): the waiting flows of a level take the
   * seats in turn, and each flow's work runs in arrival order.
   */
  async run<T>(level: string, work: () => Promise<T>, flow = ""): Promise<T> {
    const l = this.level(level);
    this.pending++;
    if (l.running >= l.limit) await new Promise<void>((resolve) => wait(l, flow, resolve));
    else l.running++;
    try {
      return await work();
    } finally {
      const next = nextInTurn(l);
      if (next) next(); // the seat passes to the next flow's first in line
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
    return Object.fromEntries([...this.levels].map(([name, l]) => [name, { running: l.running, queued: [...l.flows.values()].reduce((n, q) => n + q.length, 0) }]));
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
