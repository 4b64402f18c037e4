import { describe, expect, it } from "vitest";
import type { ViewChange, ViewEntry } from "./clusterView.js";
import { byLabel, byNamespace, labelTerm, ViewIndex } from "./viewIndex.js";

type Labelled = { metadata: { labels?: Record<string, string> } };
let sequence = 0;
const entry = (namespace: string, name: string, labels: Record<string, string>): ViewEntry<Labelled> =>
  ({ resource: "pods", namespace, name, object: { metadata: { labels } }, version: 1, resourceVersion: ++sequence });
const put = (e: ViewEntry<Labelled>): ViewChange => ({ resource: e.resource, namespace: e.namespace, name: e.name, entry: e as unknown as ViewEntry });
const removed = (namespace: string, name: string): ViewChange => ({ resource: "pods", namespace, name, entry: null });
const names = (it: Iterable<ViewEntry<Labelled>>) => [...it].map((e) => `${e.namespace}/${e.name}`).sort();

describe("a view index", () => {
  it("files the initial entries and every later change under each index's values, and forgets what a change takes away", () => {
    const index = new ViewIndex<Labelled>("pods", { namespace: byNamespace, label: byLabel }, [entry("a", "p1", { app: "web" }), entry("b", "p2", { app: "web" })]);
    expect(names(index.by("label", labelTerm("a", "app", "web")))).toEqual(["a/p1"]);
    expect(index.apply(put(entry("a", "p3", { app: "web", tier: "x" })))).toBeUndefined();
    expect(names(index.by("label", labelTerm("a", "app", "web")))).toEqual(["a/p1", "a/p3"]);
    // A relabel moves the entry; the change returns the entry it replaced.
    expect(index.apply(put(entry("a", "p1", { app: "db" })))?.object.metadata.labels).toEqual({ app: "web" });
    expect(names(index.by("label", labelTerm("a", "app", "web")))).toEqual(["a/p3"]);
    expect(names(index.by("label", labelTerm("a", "app", "db")))).toEqual(["a/p1"]);
    expect(index.apply(removed("a", "p3"))?.name).toBe("p3");
    expect(index.count("label", labelTerm("a", "app", "web"))).toBe(0);
    expect(index.count("label", labelTerm("a", "tier", "x"))).toBe(0);
    expect(names(index.by("namespace", "a"))).toEqual(["a/p1"]);
    expect(index.get("b", "p2")?.name).toBe("p2");
    expect(index.get("a", "p3")).toBeUndefined();
    expect(names(index.all())).toEqual(["a/p1", "b/p2"]);
  });

  it("ignores other resources and refuses an index it does not have", () => {
    const index = new ViewIndex<Labelled>("pods", { namespace: byNamespace });
    expect(index.apply({ resource: "nodes", namespace: "_", name: "n", entry: null })).toBeUndefined();
    expect([...index.all()]).toEqual([]);
    expect(() => index.by("label", "x")).toThrow(/no index label/);
  });
});
