/** A part's /metrics server in-process: gauges read at each scrape (label sets that went, gone), a clean stop, a taken port named. */
import { describe, expect, it } from "vitest";
import { serveMetrics } from "./metricsServer.js";
import { sampleOf } from "../../test/harness/promText.js";

describe("serveMetrics", () => {
  it("reads each gauge when scraped, drops the label sets that went, and stops listening when stopped", async () => {
    let levels: Record<string, number> = { user: 1, controller: 5 };
    let entities = 3;
    const started = await serveMetrics("127.0.0.1:0", [
      { name: "test_entities", help: "entities", read: () => entities },
      { name: "test_queued", help: "queued by level", labelNames: ["priority_level"], read: () => Object.entries(levels).map(([l, value]) => ({ labels: { priority_level: l }, value })) },
    ]);
    const { url } = started.value;
    const first = await (await fetch(url)).text();
    expect(sampleOf(first, "test_entities")).toBe(3);
    expect(sampleOf(first, 'test_queued{priority_level="controller"}')).toBe(5);
    expect(sampleOf(first, "process_cpu_seconds_total")).toBeGreaterThan(0);
    [entities, levels] = [7, { user: 2 }];
    const second = await (await fetch(url)).text();
    expect(sampleOf(second, "test_entities")).toBe(7);
    expect(sampleOf(second, 'test_queued{priority_level="user"}')).toBe(2);
    expect(sampleOf(second, 'test_queued{priority_level="controller"}')).toBeNaN();
    for (const stop of [...started.stoppers].reverse()) await stop();
    await expect(fetch(url)).rejects.toThrow();
  });

  it("serves a counter as a counter, at the count the part keeps", async () => {
    const expired: Record<string, number> = { user: 2 };
    const started = await serveMetrics("127.0.0.1:0", [
      { name: "test_expired_total", help: "expired by level", labelNames: ["priority_level"], counter: true, read: () => Object.entries(expired).map(([l, value]) => ({ labels: { priority_level: l }, value })) },
    ]);
    const { url } = started.value;
    const first = await (await fetch(url)).text();
    expect(first).toContain("# TYPE test_expired_total counter");
    expect(sampleOf(first, 'test_expired_total{priority_level="user"}')).toBe(2);
    expired.user = 5;
    expired.node = 1;
    const second = await (await fetch(url)).text();
    expect(sampleOf(second, 'test_expired_total{priority_level="user"}')).toBe(5); // the count, not 2 + 5
    expect(sampleOf(second, 'test_expired_total{priority_level="node"}')).toBe(1);
    for (const stop of [...started.stoppers].reverse()) await stop();
  });

  it("names the flag when the address cannot be listened on", async () => {
    const taken = await serveMetrics("127.0.0.1:0", []);
    const port = new URL(taken.value.url).port;
    try {
      await expect(serveMetrics(`127.0.0.1:${port}`, [])).rejects.toThrow(`--metrics-bind-address 127.0.0.1:${port}: listen EADDRINUSE`);
    } finally {
      for (const stop of taken.stoppers) await stop();
    }
  });
});
