/**
 * Open-loop load: request i is due at start + i / rate, whatever happened to the requests before it, and its latency
 * is measured from that **intended** send time, not from when it actually left. A sender that falls behind (a timer
 * that fires late, a blocked event loop, a GC pause) sends the overdue requests at once, and their wait counts as
 * latency, as a user's would; measuring from the actual send would hide it (coordinated omission). Latencies go
 * into an HDR histogram (hdr-histogram-js, microseconds, 3 significant digits).
 */
import { build, type Histogram } from "hdr-histogram-js";

/** The intended send time of request `i` at `rate` per second, in ms after the start. Pure. */
export function intendedAtMs(i: number, rate: number): number {
  return (i * 1000) / rate;
}

/** Latency percentiles in milliseconds (HDR: within 0.1 % of the exact value). */
export interface LatencySummary {
  samples: number;
  p50ms: number;
  p90ms: number;
  p99ms: number;
  p999ms: number;
  maxMs: number;
}

/** A latency histogram in microseconds, summarised in milliseconds. */
export class LatencyHistogram {
  private readonly h: Histogram = build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });

  /** Records one latency in ms (negative values count as 0). */
  record(ms: number): void {
    this.h.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  /** p50, p90, p99, p99.9 and max, in ms rounded to 0.01; NaN when nothing was recorded. */
  summary(): LatencySummary {
    const n = this.h.totalCount;
    const ms = (us: number) => (n === 0 ? NaN : Math.round(us / 10) / 100);
    // A percentile is its bucket's highest equivalent value, which can pass the largest value recorded: cap it there.
    const at = (p: number) => ms(Math.min(this.h.getValueAtPercentile(p), this.h.maxValue));
    return { samples: n, p50ms: at(50), p90ms: at(90), p99ms: at(99), p999ms: at(99.9), maxMs: ms(this.h.maxValue) };
  }
}

/** Where time comes from; a test passes a fake one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** performance.now() and setTimeout. */
export const realClock: Clock = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** What to offer, and for how long. */
export interface OpenLoopOptions {
  /** Requests per second offered. */
  rate: number;
  /** Stop offering once the next request would be due this long after the start. */
  maxMs: number;
  /** Or as soon as this says so (checked before each request). */
  stop?: () => boolean;
  /** Sends request `i`: resolves true for a successful reply, false for a refused one; rejects when none came. */
  send(i: number): Promise<boolean>;
  clock?: Clock;
}

/**
 * The outcome: every request is in the latency, refused and unanswered ones too (an unanswered one at the moment
 * its sender gave up); `failures` counts the requests that did not succeed, `unanswered` those of them without a reply.
 */
export interface OpenLoopResult {
  offeredPerSec: number;
  sent: number;
  achievedPerSec: number;
  failures: number;
  unanswered: number;
  latency: LatencySummary;
  /** How late the requests actually left (actual − intended send time): the sender's own share of `latency`. */
  sendLate: LatencySummary;
}

/** Offers `send` at `rate`/s without waiting for replies, then waits for the outstanding ones. */
export async function runOpenLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const clock = o.clock ?? realClock;
  const hist = new LatencyHistogram();
  const late = new LatencyHistogram();
  let failures = 0;
  let unanswered = 0;
  let outstanding = 0;
  let drained: () => void = () => undefined;
  const finish = (due: number, ok: boolean) => {
    hist.record(clock.now() - due);
    if (!ok) failures++;
    if (--outstanding === 0) drained();
  };
  const start = clock.now();
  let sent = 0;
  for (; intendedAtMs(sent, o.rate) < o.maxMs && !o.stop?.(); sent++) {
    const due = start + intendedAtMs(sent, o.rate);
    const wait = due - clock.now();
    if (wait > 0.5) await clock.sleep(wait);
    outstanding++;
    late.record(clock.now() - due);
    o.send(sent).then((ok) => finish(due, ok), () => { unanswered++; finish(due, false); });
  }
  const sendingMs = clock.now() - start;
  if (outstanding > 0) await new Promise<void>((r) => (drained = r));
  return {
    offeredPerSec: o.rate, sent, failures, unanswered, latency: hist.summary(), sendLate: late.summary(),
    achievedPerSec: sendingMs > 0 ? Math.round((sent * 1000) / sendingMs) : sent,
  };
}
