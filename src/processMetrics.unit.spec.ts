import { Gauge, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { withProcessMetrics } from "./processMetrics.js";

describe("the process's own metrics", () => {
  it("are collected once, however many endpoints serve them beside their own", async () => {
    const [a, b] = [new Registry(), new Registry()];
    new Gauge({ name: "a_only", help: "a", registers: [a] }).set(1);
    new Gauge({ name: "b_only", help: "b", registers: [b] }).set(2);
    const [servedA, servedB] = [withProcessMetrics(a), withProcessMetrics(b)];
    const gcA = servedA.getSingleMetric("nodejs_gc_duration_seconds");
    expect(gcA).toBeDefined();
    expect(servedB.getSingleMetric("nodejs_gc_duration_seconds")).toBe(gcA);
    expect(servedB.getSingleMetric("nodejs_eventloop_lag_p99_seconds")).toBe(servedA.getSingleMetric("nodejs_eventloop_lag_p99_seconds"));
    const [textA, textB] = [await servedA.metrics(), await servedB.metrics()];
    expect(textA).toMatch(/^a_only 1$/m);
    expect(textA).not.toMatch(/^b_only/m);
    expect(textB).toMatch(/^b_only 2$/m);
    expect(textB).toMatch(/^process_cpu_seconds_total \d/m);
  });
});
