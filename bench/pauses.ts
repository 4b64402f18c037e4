/**
 * Each part's pauses over a window of the bench, read from its Prometheus /metrics (`--metrics-bind-address`; the
 * API's on its HTTP port) at the window's start and end: the share of the window spent in garbage collection, the
 * collections that paused it over 10 ms, and the event loop's delay p99 and max (prom-client samples it every 10 ms
 * and starts afresh at each scrape, so the end's reading covers the window). A command waits behind each of these.
 */
import { round } from "./parts.js";
import { sampleOf } from "../test/harness/promText.js";

/** What one part paused for over a window. */
export interface PartPauses {
  /** GC time over the window's wall time, in percent. */
  gcPercent: number;
  /** Collections longer than 10 ms. */
  gcOver10ms: number;
  loopP99ms: number;
  loopMaxMs: number;
}

/** A scrape that holds the process's GC counts (prom-client writes them once the process has collected). */
const GC_COUNT = /^nodejs_gc_duration_seconds_count\{/m;

/** The GC totals of a scrape: seconds, collections, and collections of at most 10 ms, summed over the kinds. Pure. */
export function gcTotals(text: string): { seconds: number; count: number; upTo10ms: number } {
  const totals = { seconds: 0, count: 0, upTo10ms: 0 };
  for (const line of text.split("\n")) {
    const m = /^nodejs_gc_duration_seconds_(sum|count|bucket)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (m[1] === "sum") totals.seconds += value;
    else if (m[1] === "count") totals.count += value;
    else if (/(^|,)le="0\.01"/.test(m[2] ?? "")) totals.upTo10ms += value;
  }
  return totals;
}

/**
 * A part's pauses between the scrapes `before` and `after`, `seconds` apart; null when either is not a scrape of the
 * process's GC (the part did not answer: its figures would count its whole life, or come out negative). Pure.
 */
export function pausesBetween(before: string, after: string, seconds: number): PartPauses | null {
  if (!GC_COUNT.test(before) || !GC_COUNT.test(after)) return null;
  const [a, b] = [gcTotals(before), gcTotals(after)];
  return {
    gcPercent: round(((b.seconds - a.seconds) / seconds) * 100),
    gcOver10ms: (b.count - a.count) - (b.upTo10ms - a.upTo10ms),
    loopP99ms: round(sampleOf(after, "nodejs_eventloop_lag_p99_seconds") * 1000),
    loopMaxMs: round(sampleOf(after, "nodejs_eventloop_lag_max_seconds") * 1000),
  };
}

/** The text of each part's /metrics, by part name (an empty text for a part that did not answer). */
export async function scrapeAll(urls: Record<string, string>): Promise<Record<string, string>> {
  const texts = await Promise.all(Object.entries(urls).map(async ([name, url]) => {
    const text = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text(), () => "");
    return [name, text] as const;
  }));
  return Object.fromEntries(texts);
}
