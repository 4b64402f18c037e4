import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { ACTOR_KINDS } from "../actors/registry.js";
import { entityProjection, renderDocument, type EntityDocument } from "./projection.js";
import { ReadModel } from "./readModel.js";
import { jsonEqual } from "../api/patch/index.js";
import { SharedShapes } from "../events/sharedShapes.js";
import { EventLogBuilder } from "../../test/harness/testEvents.js";

type PodState = { object: { metadata: { labels: object; ownerReferences: object[] }; spec: { containers: object[]; nodeName?: string } } };

/** Three pods of one RC, bound and started, then one of them changed by an update; each event through a JSON round trip as on the wire. */
function rcPods() {
  const b = new EventLogBuilder(ACTOR_KINDS);
  const owner = { apiVersion: "v1", kind: "ReplicationController", name: "web", uid: "rc-uid", controller: true };
  for (const name of ["web-a", "web-b", "web-c"]) {
    b.send("pods", "default", name, "CreatePod", { metadata: { name, labels: { app: "web" }, ownerReferences: [owner] }, spec: { containers: [{ name: "app", image: "sim" }] } });
    b.send("pods", "default", name, "BindPod", { nodeName: `node-${name}` });
    b.send("pods", "default", name, "ContainerStarted", { container: "app" });
  }
  b.send("pods", "default", "web-c", "UpdatePod", { metadata: { name: "web-c", labels: { app: "web", canary: "true" }, ownerReferences: [owner] }, spec: { containers: [{ name: "app", image: "sim" }] } });
  return b.events.map((e) => JSON.parse(JSON.stringify(e)) as typeof e);
}

describe("structural sharing in the read model", () => {
  it("gives the pods of one RC one containers list and one owner reference, and renders exactly what the decider renders", () => {
    const events = rcPods();
    const m = new ReadModel("cox", ACTOR_KINDS);
    for (const e of events) m.apply(e);
    const a = m.get("pods", "default", "web-a")!;
    const b = m.get("pods", "default", "web-b")!;
    const sa = (a.doc.state as PodState).object;
    const c = m.get("pods", "default", "web-c")!;
    const sb = (b.doc.state as PodState).object;
    const sc = (c.doc.state as PodState).object;
    expect(sa.spec.containers).toBe(sb.spec.containers);
    expect(sa.metadata.ownerReferences).toBe(sb.metadata.ownerReferences);
    expect(sa.spec.nodeName).toBe("node-web-a"); // the changed parts stay each pod's own
    expect(sb.spec.nodeName).toBe("node-web-b");
    expect(sc.metadata.labels).toEqual({ app: "web", canary: "true" }); // the update gave web-c its own values
    expect(sb.metadata.labels).toBe(sa.metadata.labels);
    expect(sa.metadata.labels).toEqual({ app: "web" });

    // The same events folded without sharing render byte-identical objects.
    const plain = entityProjection("cox", ACTOR_KINDS);
    const docs = new Map<string, EntityDocument | null>();
    for (const e of events) {
      const key = plain.target(e)!.key;
      docs.set(key, plain.evolve(docs.get(key) ?? null, e));
    }
    const pods = ACTOR_KINDS.pods!;
    for (const got of [a, b, c]) {
      const want = renderDocument(pods, docs.get(`pods.default.${got.doc.name}`)!);
      expect(JSON.stringify(got.object)).toBe(JSON.stringify(want));
    }
  });

  it("never mutates what it is given, and shares only equal values", () => {
    const s = new SharedShapes();
    const first = { spec: { containers: [{ name: "app" }] }, name: "a" };
    const second = JSON.parse(JSON.stringify({ ...first, name: "b" })) as typeof first;
    const frozen = Object.freeze({ ...second, spec: Object.freeze(second.spec) });
    s.share("x", first);
    const out = s.share("x", frozen);
    expect(out).not.toBe(frozen);
    expect(out.spec).toBe(first.spec);
    expect(out.name).toBe("b");
    expect(frozen.spec).not.toBe(first.spec);
    const changed = s.share("x", { spec: { containers: [{ name: "other" }] }, name: "b" });
    expect(changed.spec.containers[0]).toEqual({ name: "other" });
    expect(jsonEqual(changed, { spec: { containers: [{ name: "other" }] }, name: "b" })).toBe(true);
  });

  it("keeps one copy of a string that many documents hold at one path, though each arrived as its own copy", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
    const s = new SharedShapes();
    const note = "x".repeat(100_000); // 100 documents holding their own copies would take ~10 MB
    const before = heap();
    const held = Array.from({ length: 100 }, (_, i) => s.share("x", JSON.parse(JSON.stringify({ name: `p${i}`, meta: { note, n: i } })) as { meta: { note: string } }));
    const grown = heap() - before;
    expect(held.every((d) => d.meta.note === note)).toBe(true);
    expect(grown).toBeLessThan(2_000_000);
  });

  it("tells JSON values apart by content", () => {
    expect(jsonEqual({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toBe(true);
    expect(jsonEqual({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual({ a: 1, c: 2 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });
});
