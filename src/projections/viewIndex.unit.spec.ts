import fc from "fast-check";
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

  it("after any changes, each bucket holds exactly the current entries with that value, as the current objects", () => {
    // Labels objects are shared between entries (as the read model shares them across the pods of one RC).
    const shared = [{ app: "web" }, { app: "web", tier: "x" }, { app: "db" }, {}];
    const change = fc.record({ ns: fc.constantFrom("a", "b"), name: fc.constantFrom("p1", "p2", "p3"), labels: fc.option(fc.constantFrom(...shared.keys())) });
    fc.assert(fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
      const index = new ViewIndex<Labelled>("pods", { namespace: byNamespace, label: byLabel });
      const live = new Map<string, ViewEntry<Labelled>>();
      for (const c of changes) {
        if (c.labels === null) {
          index.apply(removed(c.ns, c.name));
          live.delete(`${c.ns}/${c.name}`);
        } else {
          const e = entry(c.ns, c.name, shared[c.labels] as Record<string, string>);
          index.apply(put(e));
          live.set(`${c.ns}/${c.name}`, e);
        }
      }
      expect(names(index.all())).toEqual([...live.keys()].sort());
      for (const ns of ["a", "b"]) {
        expect(names(index.by("namespace", ns))).toEqual([...live.keys()].filter((k) => k.startsWith(`${ns}/`)).sort());
        for (const [k, v] of [["app", "web"], ["app", "db"], ["tier", "x"]] as const) {
          const bucket = [...index.by("label", labelTerm(ns, k, v))];
          const want = [...live.values()].filter((e) => e.namespace === ns && e.object.metadata.labels?.[k] === v);
          expect(names(bucket)).toEqual(names(want));
          for (const e of bucket) expect(e).toBe(live.get(`${e.namespace}/${e.name}`)); // the current object, not one it replaced
          expect(index.count("label", labelTerm(ns, k, v))).toBe(want.length);
        }
      }
    }));
  });
});
