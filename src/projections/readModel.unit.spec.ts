import { describe, expect, it } from "vitest";
import { ACTOR_KINDS } from "../actors/registry.js";
import { ChangeFeed, startWatch, type WireWatchEvent } from "./changeFeed.js";
import { ReadModel } from "./readModel.js";
import { entityProjection } from "./projection.js";
import type { StoredEvent } from "../events/envelope.js";
import { parseSelector } from "./selectors.js";
import { EventLogBuilder } from "../../test/harness/testEvents.js";

const ns = (name: string, labels?: Record<string, string>) => ({ metadata: { name, ...(labels ? { labels } : {}) } });
const sel = (l?: string, f?: string) => parseSelector(l, f);
const names = (docs: { doc: { name: string } }[]) => docs.map((d) => d.doc.name);

function namespaces() {
  const b = new EventLogBuilder(ACTOR_KINDS);
  b.send("namespaces", "_", "a", "CreateNamespace", ns("a", { team: "x", tier: "gold" }));
  b.send("namespaces", "_", "b", "CreateNamespace", ns("b", { team: "y" }));
  b.foreign();
  b.send("namespaces", "_", "c", "CreateNamespace", ns("c"));
  b.send("namespaces", "_", "b", "UpdateNamespace", ns("b", { team: "x", canary: "true" }));
  b.send("namespaces", "_", "c", "DeleteNamespace", {});
  b.send("namespaces", "_", "c", "FinalizeNamespace", {});
  return b;
}

describe("the entity projection over the registry's deciders", () => {
  it("folds namespace events into documents that render like the write side, with resourceVersion = sequence", () => {
    const b = namespaces();
    const m = new ReadModel("cox", ACTOR_KINDS);
    for (const e of b.events) m.apply(e);
    expect(m.sequence).toBe(7);
    expect(m.get("namespaces", "_", "c")).toBeNull();
    const got = m.get("namespaces", "_", "b");
    expect(got?.doc).toMatchObject({ version: 2, sequence: 5 });
    expect(got?.object).toMatchObject({ kind: "Namespace", metadata: { name: "b", labels: { team: "x", canary: "true" }, resourceVersion: "5" }, status: { phase: "Active" } });
    const decider = ACTOR_KINDS.namespaces!.decider;
    expect(got?.object).toEqual({ ...decider.render(got?.doc.state), metadata: { ...(decider.render(got?.doc.state)?.metadata as object), resourceVersion: "5" } });
    expect(m.counts().get("namespaces")).toBe(2);
  });

  it("works an event's target out once for the read model and the fold that follow it, and anew for the next event", () => {
    const b = namespaces();
    const projection = entityProjection("cox", ACTOR_KINDS);
    const [first, second] = b.events as [StoredEvent, StoredEvent];
    const t = projection.target(first);
    expect(t).toMatchObject({ key: "namespaces._.a", resource: "namespaces", namespace: "_", name: "a" });
    expect(projection.target(first)).toBe(t);
    expect(projection.target(second)).toMatchObject({ key: "namespaces._.b" });
    expect(projection.target({ ...first })).not.toBe(t); // another event with the same subject: its own answer, equal
    expect(projection.target({ ...first })).toEqual(t);
    expect(projection.target(b.events[2] as StoredEvent)).toBeNull(); // a foreign subject
  });

  it("reports ADDED, MODIFIED and DELETED, and ignores repeated or foreign events", () => {
    const b = namespaces();
    const m = new ReadModel("cox", ACTOR_KINDS);
    const types = b.events.map((e) => m.apply(e)[0]?.type ?? null);
    expect(types).toEqual(["ADDED", "ADDED", null, "ADDED", "MODIFIED", "MODIFIED", "DELETED"]); // c: Terminating, then finalized
    expect(m.apply(b.events[0]!)).toEqual([]);
  });

  it("lists through the indexes with label and field selectors, and keeps them right after updates and deletes", () => {
    const b = namespaces();
    const m = new ReadModel("cox", ACTOR_KINDS);
    for (const e of b.events) m.apply(e);
    expect(names(m.list("namespaces", null, sel()))).toEqual(["a", "b"]);
    expect(names(m.list("namespaces", null, sel("team=x")))).toEqual(["a", "b"]);
    expect(names(m.list("namespaces", null, sel("team=y")))).toEqual([]);
    expect(names(m.list("namespaces", null, sel("team in (x),!canary")))).toEqual(["a"]);
    expect(names(m.list("namespaces", null, sel("canary")))).toEqual(["b"]);
    expect(names(m.list("namespaces", null, sel("tier notin (gold)")))).toEqual(["b"]);
    expect(names(m.list("namespaces", null, sel(undefined, "metadata.name=a")))).toEqual(["a"]);
    expect(names(m.list("namespaces", null, sel(undefined, "status.phase=Active,metadata.name!=a")))).toEqual(["b"]);
    expect(names(m.list("namespaces", "_", sel(undefined, "metadata.namespace=")))).toEqual(["a", "b"]);
    expect(names(m.list("pods", null, sel()))).toEqual([]);
  });

  it("loads documents (a checkpoint) into the same model a full replay gives", () => {
    const b = namespaces();
    const full = new ReadModel("cox", ACTOR_KINDS);
    for (const e of b.events) full.apply(e);
    const half = new ReadModel("cox", ACTOR_KINDS);
    for (const e of b.events.slice(0, 3)) half.apply(e);
    const resumed = new ReadModel("cox", ACTOR_KINDS);
    resumed.load(half.sequence, JSON.parse(JSON.stringify([...half.documents()])));
    for (const e of b.events) resumed.apply(e);
    expect(resumed.list("namespaces", null, sel())).toEqual(full.list("namespaces", null, sel()));
    expect(names(resumed.list("namespaces", null, sel("team=x")))).toEqual(["a", "b"]);
  });

  it.runIf(ACTOR_KINDS.pods)("indexes pods by namespace, spec.nodeName and status.phase", () => {
    const b = new EventLogBuilder(ACTOR_KINDS);
    const pod = (name: string, app: string) => ({ metadata: { name, labels: { app } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    b.send("pods", "default", "web-1", "CreatePod", pod("web-1", "web"));
    b.send("pods", "default", "web-2", "CreatePod", pod("web-2", "web"));
    b.send("pods", "other", "db-1", "CreatePod", pod("db-1", "db"));
    b.send("pods", "default", "web-1", "BindPod", { nodeName: "node-1" });
    const m = new ReadModel("cox", ACTOR_KINDS);
    for (const e of b.events) m.apply(e);
    expect(names(m.list("pods", "default", sel()))).toEqual(["web-1", "web-2"]);
    expect(names(m.list("pods", null, sel("app=web")))).toEqual(["web-1", "web-2"]);
    expect(names(m.list("pods", null, sel(undefined, "spec.nodeName=node-1")))).toEqual(["web-1"]);
    expect(names(m.list("pods", null, sel(undefined, "spec.nodeName=")))).toEqual(["web-2", "db-1"]);
    expect(names(m.list("pods", null, sel(undefined, "status.phase=Pending")))).toEqual(["web-1", "web-2", "db-1"]);
    expect(names(m.list("pods", null, sel(undefined, "metadata.namespace=other")))).toEqual(["db-1"]);
    expect(m.countBy("pods", "status.phase").get("Pending")).toBe(3);
    const size = JSON.stringify(m.get("pods", "default", "web-1")?.doc).length;
    expect(size).toBeLessThan(2048);
  });
});

describe("watches over the change feed", () => {
  function setup(capacity = 100) {
    const b = namespaces();
    const m = new ReadModel("cox", ACTOR_KINDS);
    const feed = new ChangeFeed(capacity);
    const apply = (e: (typeof b.events)[number]) => { for (const c of m.apply(e)) feed.push(c); };
    return { b, m, feed, apply };
  }
  const brief = (e: WireWatchEvent) => `${e.type} ${(e.object.metadata as { name: string; resourceVersion: string }).name}@${(e.object.metadata as { resourceVersion: string }).resourceVersion}`;

  it("starts with ADDED for current objects without a resourceVersion, then follows live", () => {
    const { b, m, feed, apply } = setup();
    for (const e of b.events.slice(0, 2)) apply(e);
    const seen: string[] = [];
    const stop = startWatch(m, feed, { resource: "namespaces", namespace: null, selector: sel(), apiVersion: "v1" }, (e) => seen.push(brief(e)));
    for (const e of b.events.slice(2)) apply(e);
    stop();
    expect(seen).toEqual(["ADDED a@1", "ADDED b@2", "ADDED c@4", "MODIFIED b@5", "MODIFIED c@6", "DELETED c@7"]);
  });

  it("resumes after a resourceVersion from the history, and a selector turns leaving into DELETED", () => {
    const { b, m, feed, apply } = setup();
    for (const e of b.events) apply(e);
    const all: string[] = [];
    startWatch(m, feed, { resource: "namespaces", namespace: null, selector: sel(), apiVersion: "v1", resourceVersion: 2 }, (e) => all.push(brief(e)));
    expect(all).toEqual(["ADDED c@4", "MODIFIED b@5", "MODIFIED c@6", "DELETED c@7"]);
    const teamY: string[] = [];
    startWatch(m, feed, { resource: "namespaces", namespace: null, selector: sel("team=y"), apiVersion: "v1", resourceVersion: 0 }, (e) => teamY.push(brief(e)));
    expect(teamY).toEqual(["ADDED b@2", "DELETED b@5"]);
  });

  it("refuses a resourceVersion older than the history retains with Expired (410)", () => {
    const { b, m, feed, apply } = setup(2);
    for (const e of b.events) apply(e);
    expect(feed.floor).toBe(5); // changes at 1, 2, 4, 5, 6, 7: the two newest are kept
    expect(() => startWatch(m, feed, { resource: "namespaces", namespace: null, selector: sel(), apiVersion: "v1", resourceVersion: 1 }, () => undefined))
      .toThrow(expect.objectContaining({ reason: "Expired", code: 410 }));
    const seen: string[] = [];
    startWatch(m, feed, { resource: "namespaces", namespace: null, selector: sel(), apiVersion: "v1beta1", resourceVersion: 5 }, (e) => seen.push(`${e.type} ${String(e.object.id)}@${String(e.object.resourceVersion)}`));
    expect(seen).toEqual(["MODIFIED c@6", "DELETED c@7"]);
  });
});

describe("a superseded version (a second append of one version)", () => {
  it("is skipped: the first event of each version in stream order is the one folded", () => {
    const b = new EventLogBuilder(ACTOR_KINDS);
    b.send("namespaces", "_", "a", "CreateNamespace", ns("a"));
    b.send("namespaces", "_", "a", "UpdateNamespace", ns("a", { won: "yes" }));
    const [created, first] = b.events;
    const later = { ...first!, sequence: first!.sequence + 1, event: { ...first!.event, commandId: "other", data: { labels: { won: "no" }, spec: {} } } };
    const m = new ReadModel("cox", ACTOR_KINDS);
    expect(m.apply(created!)).toHaveLength(1);
    expect(m.apply(first!)).toHaveLength(1);
    expect(m.apply(later)).toEqual([]);
    expect(m.get("namespaces", "_", "a")?.object).toMatchObject({ metadata: { labels: { won: "yes" } } });
    expect(m.sequence).toBe(later.sequence);
  });
});
