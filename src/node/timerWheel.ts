/**
 * One timer for many: a min-heap of deadlines behind a single `setTimeout`, so that thousands of simulated
 * containers (and their nodes) share one Node.js timer instead of one each.
 */

/** A scheduled callback; `cancel` makes it a no-op. */
export interface WheelTimer {
  cancel(): void;
}

interface Entry {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A shared timer queue. Callbacks run in deadline order; a throwing callback does not stop the others. */
export class TimerWheel {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs `fn` after `delayMs`. */
  after(delayMs: number, fn: () => void): WheelTimer {
    const entry: Entry = { due: this.now() + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.push(entry);
    this.arm();
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** How many timers are queued (cancelled ones included until they come due). */
  get size(): number {
    return this.heap.length;
  }

  /** Drops every timer. */
  clear(): void {
    this.heap.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Infinity;
  }

  private arm(): void {
    const first = this.heap[0];
    if (!first || first.due >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = first.due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, first.due - this.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Infinity;
    const now = this.now();
    for (let top = this.heap[0]; top && top.due <= now; top = this.heap[0]) {
      this.pop();
      if (top.cancelled) continue;
      try {
        top.fn();
      } catch {
        // a callback's failure is its own business
      }
    }
    this.arm();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
