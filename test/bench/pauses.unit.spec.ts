import { describe, expect, it } from "vitest";
import { gcTotals, pausesBetween } from "../../bench/pauses.js";
import { sampleOf } from "../harness/promText.js";
import { metricsUrlOf } from "../../bench/parts.js";

/** A scrape as prom-client writes it: GC histograms of two kinds, and the event loop's delay. */
function scrape(gc: { minor: [number, number, number]; major: [number, number, number] }, loop: { p99: number; max: number }): string {
  const kind = (name: string, [sum, count, upTo10ms]: [number, number, number]) => [
    `nodejs_gc_duration_seconds_bucket{le="0.001",kind="${name}"} 0`,
    `nodejs_gc_duration_seconds_bucket{le="0.01",kind="${name}"} ${upTo10ms}`,
    `nodejs_gc_duration_seconds_bucket{le="0.1",kind="${name}"} ${count}`,
    `nodejs_gc_duration_seconds_bucket{le="+Inf",kind="${name}"} ${count}`,
    `nodejs_gc_duration_seconds_sum{kind="${name}"} ${sum}`,
    `nodejs_gc_duration_seconds_count{kind="${name}"} ${count}`,
  ];
  return [
    "# HELP nodejs_gc_duration_seconds Garbage collection duration by kind, one of major, minor, incremental or weakcb.",
    "# TYPE nodejs_gc_duration_seconds histogram",
    ...kind("minor", gc.minor), ...kind("major", gc.major),
    `nodejs_eventloop_lag_p99_seconds ${loop.p99}`,
    `nodejs_eventloop_lag_max_seconds ${loop.max}`,
    "",
  ].join("\n");
}

describe("a part's pauses from its /metrics", () => {
  it("sums the GC kinds, and counts the collections over 10 ms from the 10 ms bucket", () => {
    expect(gcTotals(scrape({ minor: [0.5, 100, 95], major: [0.2, 4, 1] }, { p99: 0, max: 0 }))).toEqual({ seconds: 0.7, count: 104, upTo10ms: 96 });
  });

  it("takes the window's GC from the difference of two scrapes and its event-loop delay from the second", () => {
    const before = scrape({ minor: [0.5, 100, 95], major: [0.2, 4, 1] }, { p99: 0.5, max: 2 });
    const after = scrape({ minor: [2.5, 400, 380], major: [0.7, 10, 2] }, { p99: 0.031, max: 0.162 });
    expect(pausesBetween(before, after, 10)).toEqual({ gcPercent: 25, gcOver10ms: (306 - 286), loopP99ms: 31, loopMaxMs: 162 });
  });

  it("has no pauses for a part whose scrape failed at either end", () => {
    const good = scrape({ minor: [0.5, 100, 95], major: [0.2, 4, 1] }, { p99: 0.01, max: 0.02 });
    expect(pausesBetween("", good, 10)).toBeNull();
    expect(pausesBetween(good, "", 10)).toBeNull();
  });

  it("reads one series by its name and labels, NaN when absent", () => {
    const text = 'leader_election_master_status{name="controllers"} 1\ncoxswain_node_agents 12\n';
    expect(sampleOf(text, 'leader_election_master_status{name="controllers"}')).toBe(1);
    expect(sampleOf(text, "coxswain_node_agents")).toBe(12);
    expect(sampleOf(text, "coxswain_node")).toBeNaN();
  });

  it("finds where a part said its /metrics is, or the API's HTTP port", () => {
    expect(metricsUrlOf("metrics at http://127.0.0.1:40001/metrics\nactor host ready (pid 7)\n")).toBe("http://127.0.0.1:40001/metrics");
    expect(metricsUrlOf("API ready (pid 9): http://127.0.0.1:8123  Kubernetes API: https://…\n")).toBe("http://127.0.0.1:8123/metrics");
    expect(metricsUrlOf("controllers ready (pid 3), campaigning\n")).toBeUndefined();
  });
});
