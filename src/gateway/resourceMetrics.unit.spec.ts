/** The metrics API's lists filtered by a label selector (`kubectl top pod -l`, `kubectl top node -l`), as metrics-server filters them. */
import { describe, expect, it } from "vitest";
import type { Caller } from "./caller.js";
import { metricsRead, type MetricsSource } from "./resourceMetrics.js";

const caller = { authorize: () => undefined } as unknown as Caller;
const item = (name: string, namespace?: string) => ({ metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: "" }, timestamp: "", window: "5s" });
const source: MetricsSource = async () => ({
  pods: { kind: "PodMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items: [item("web-1", "default"), item("db-1", "default")] },
  nodes: { kind: "NodeMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items: [item("node-1"), item("node-2")] },
} as never);
const LABELS: Record<string, Record<string, string>> = { "pods/default/web-1": { app: "web" }, "pods/default/db-1": { app: "db" }, "nodes/_/node-2": { zone: "b" } };
const labelsOf = (resource: string, ns: string, name: string) => LABELS[`${resource}/${ns}/${name}`];
const names = async (path: string, selector?: string) => {
  const q = new URLSearchParams(selector ? { labelSelector: selector } : {});
  const list = await metricsRead(`/apis/metrics.k8s.io/v1beta1${path}`, caller, source, q, labelsOf) as { items: { metadata: { name: string } }[] };
  return list.items.map((i) => i.metadata.name);
};

describe("metrics API: label selectors", () => {
  it("lists the pods and nodes a selector picks by their labels, and all without one", async () => {
    expect(await names("/namespaces/default/pods", "app=web")).toEqual(["web-1"]);
    expect(await names("/namespaces/default/pods", "app in (web,db)")).toEqual(["web-1", "db-1"]);
    expect(await names("/nodes", "zone=b")).toEqual(["node-2"]);
    expect(await names("/nodes")).toEqual(["node-1", "node-2"]);
  });
});
