import { describe, expect, it } from "vitest";
import type { ResourceSample } from "../api/resourceMetrics.js";
import { nodeMetricsOf, podMetricsOf } from "./resourceMetrics.js";

const NOW = Date.parse("2026-12-02T10:00:00Z");
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const sample = (more: Partial<ResourceSample>): ResourceSample => ({
  node: "n1", namespace: "default", pod: "web", container: "main", attempt: 0, pid: 10, time: at(1000),
  cpuSeconds: 3, cpuPercent: 50, windowMs: 5000, memoryBytes: 10 * 1024 * 1024, ...more,
});

describe("metrics.k8s.io objects from samples", () => {
  const samples = [
    sample({}),
    sample({ container: "sidecar", cpuPercent: 12.5, memoryBytes: 2048 }),
    sample({ pod: "db", namespace: "prod", node: "n2", cpuPercent: 100 }),
    sample({ namespace: "_", pod: "n1", container: "agent", cpuPercent: 3, memoryBytes: 50 * 1024 * 1024 }),
    sample({ pod: "fresh", cpuPercent: undefined }), // first sample: no rate yet
    sample({ pod: "gone", time: at(16_000) }), // older than three windows
  ];

  it("gives one PodMetrics per pod with current samples, its containers' usage in nanocores and KiB", () => {
    const pods = podMetricsOf(samples, NOW);
    expect(pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(["default/web", "prod/db"]);
    expect(pods[0]).toMatchObject({
      kind: "PodMetrics", apiVersion: "metrics.k8s.io/v1beta1", window: "5s", timestamp: at(1000),
      containers: [{ name: "main", usage: { cpu: "500000000n", memory: "10240Ki" } }, { name: "sidecar", usage: { cpu: "125000000n", memory: "2Ki" } }],
    });
    expect(podMetricsOf(samples, NOW, "prod").map((p) => p.metadata.name)).toEqual(["db"]);
  });

  it("sums a node's containers and its agent's own into its NodeMetrics", () => {
    expect(nodeMetricsOf(samples, NOW)).toEqual([
      expect.objectContaining({ kind: "NodeMetrics", metadata: expect.objectContaining({ name: "n1" }), usage: { cpu: "655000000n", memory: `${10 * 1024 + 2 + 50 * 1024}Ki` } }),
      expect.objectContaining({ metadata: expect.objectContaining({ name: "n2" }), usage: { cpu: "1000000000n", memory: "10240Ki" } }),
    ]);
  });
});
