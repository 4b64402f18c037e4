/**
 * The read model's index terms: built once per labels object and per value, equal to the terms spelled out from the
 * document, and forgotten with the last document that held them; a model folding generated label changes lists by
 * its indexes exactly what a scan of its documents finds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTOR_KINDS, type ActorKind } from "../actors/registry.js";
import { EventLogBuilder } from "../../test/harness/testEvents.js";
import { IndexTerms } from "./indexTerms.js";
import type { EntityDocument } from "./projection.js";
import { ReadModel } from "./readModel.js";
import { fieldValue, matchesSelector, parseSelector } from "./selectors.js";

const pods = ACTOR_KINDS.pods as ActorKind;
const doc = (namespace: string) => ({ resource: "pods", namespace, name: "p", version: 1, sequence: 1, state: null }) as unknown as EntityDocument;

/** The terms spelled out, as the read model defined them before they were cached. */
function spelled(kind: ActorKind, namespace: string, object: Record<string, unknown>): string[] {
  const labels = (object.metadata as { labels?: Record<string, string> }).labels ?? {};
  const terms = ["*", `ns:${namespace}`];
  for (const [k, v] of Object.entries(labels)) terms.push(`l:${k}=${v}`, `lk:${k}`);
  for (const [field, when] of Object.entries(kind.indexedFields ?? {})) {
    const v = fieldValue(object, field);
    if (v !== "" || when === "every") terms.push(`f:${field}=${v}`);
  }
  return terms;
}

const word = fc.constantFrom("a", "b", "web", "x-1", "");
const labels = fc.dictionary(fc.constantFrom("app", "tier", "team"), word.filter((w) => w !== ""), { maxKeys: 3 });
const pod = fc.record({
  namespace: fc.constantFrom("default", "kube-system", "ns1"),
  labels: fc.option(labels),
  nodeName: fc.option(fc.constantFrom("n1", "n2")),
  phase: fc.option(fc.constantFrom("Pending", "Running")),
});
const objectOf = (p: { labels: Record<string, string> | null; nodeName: string | null; phase: string | null }) => ({
  metadata: { name: "p", ...(p.labels ? { labels: p.labels } : {}) },
  spec: p.nodeName ? { nodeName: p.nodeName } : {},
  status: p.phase ? { phase: p.phase } : {},
});

describe("IndexTerms", () => {
  it("gives the terms spelled out from the document, again from its cache and for an equal labels object", () => {
    fc.assert(fc.property(fc.array(pod, { minLength: 1, maxLength: 20 }), (ps) => {
      const terms = new IndexTerms();
      for (const p of ps) {
        const object = objectOf(p);
        const got = terms.of(pods, doc(p.namespace), object);
        expect(got).toEqual(spelled(pods, p.namespace, object));
        // Asked again, from the cache, and for equal labels in another object: the same terms. (Whether two equal
        // strings are one in memory cannot be seen from JavaScript; `size` in the next test counts what is held.)
        expect(terms.of(pods, doc(p.namespace), object)).toEqual(got);
        expect(terms.of(pods, doc(p.namespace), objectOf({ ...p, labels: p.labels && { ...p.labels } }))).toEqual(got);
      }
    }));
  });

  it("forgets a namespace, label or field term, and builds it again when asked", () => {
    const terms = new IndexTerms();
    const object = objectOf({ labels: { app: "web" }, nodeName: "n1", phase: "Running" });
    terms.of(pods, doc("ns1"), object);
    expect(terms.size).toBe(5); // ns:ns1, l:app=web, lk:app, f:spec.nodeName=n1, f:status.phase=Running
    terms.forget("ns:ns1");
    terms.forget("f:spec.nodeName=n1");
    terms.forget("l:app=web");
    terms.forget("*"); // held by every document: never counted, never forgotten
    expect(terms.size).toBe(2);
    expect(terms.of(pods, doc("ns1"), object)).toEqual(spelled(pods, "ns1", object));
    expect(terms.size).toBe(4); // the labels object keeps the terms it built; another one builds l:app=web again
    expect(terms.of(pods, doc("ns1"), objectOf({ labels: { app: "web" }, nodeName: "n1", phase: "Running" }))).toEqual(spelled(pods, "ns1", object));
    expect(terms.size).toBe(5);
  });

  it("keeps the model's indexes right: a list by selector finds what a scan of every document finds", () => {
    const change = fc.record({ name: fc.constantFrom("a", "b", "c", "d"), labels: fc.option(labels), remove: fc.boolean() });
    fc.assert(fc.property(fc.array(change, { maxLength: 30 }), fc.constantFrom("app", "tier", "team"), word, (changes, key, value) => {
      const b = new EventLogBuilder(ACTOR_KINDS);
      const live = new Set<string>();
      for (const c of changes) {
        const body = { metadata: { name: c.name, ...(c.labels ? { labels: c.labels } : {}) } };
        if (c.remove && live.has(c.name)) {
          b.send("namespaces", "_", c.name, "DeleteNamespace", {});
          b.send("namespaces", "_", c.name, "FinalizeNamespace", {});
          live.delete(c.name);
        } else if (!c.remove) {
          b.send("namespaces", "_", c.name, live.has(c.name) ? "UpdateNamespace" : "CreateNamespace", body);
          live.add(c.name);
        }
      }
      const m = new ReadModel("cox", ACTOR_KINDS);
      for (const e of b.events) m.apply(e);
      const all = m.list("namespaces", null, parseSelector());
      for (const s of [`${key}=${value || "a"}`, key, `!${key}`, `${key}!=${value || "a"}`]) {
        const selector = parseSelector(s);
        expect(m.list("namespaces", null, selector).map((d) => d.doc.name)).toEqual(all.filter((d) => matchesSelector(selector, d.object)).map((d) => d.doc.name));
      }
      const phase = parseSelector(undefined, "status.phase=Active");
      expect(m.list("namespaces", null, phase).map((d) => d.doc.name)).toEqual([...live].sort());
    }));
  });
});
