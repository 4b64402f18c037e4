import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { ReplicationController } from "../../api/replicationController.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import { MemoryView } from "../../../test/harness/memoryView.js";
import { node, pod, rc } from "../../../test/harness/controllerObjects.js";
import { SchedulerCache } from "./cache.js";
import { schedule } from "./decide.js";
import { pendingPods } from "./pending.js";
import type { NodeInfo, Snapshot } from "./plugins.js";
import { buildSnapshot } from "./snapshot.js";

/** A cache that follows `view` from now on. */
function follow(view: MemoryView, ttlMs = 100) {
  const cache = new SchedulerCache(view, ttlMs);
  const effects: ReturnType<SchedulerCache["apply"]>[] = [];
  view.onChange((c) => effects.push(cache.apply(c)));
  return { cache, effects };
}

const podsOn = (cache: SchedulerCache, name: string) => [...(cache.node(name)?.pods.keys() ?? [])];
/** The peers of `pod` on node `name` in `snapshot` (0 when the node has none; NaN when the snapshot has no such node). */
const peersOn = (snapshot: Snapshot, pod: Pod, name: string) => {
  const node = snapshot.nodes.find((n) => n.name === name);
  return node ? snapshot.spread.peersOn(pod)(node) : NaN;
};

describe("the scheduler cache", () => {
  it("adds, updates and removes nodes and the active pods bound to them", () => {
    const view = new MemoryView();
    view.put("nodes", node("b", { cpu: "2" }));
    const { cache, effects } = follow(view);
    view.put("nodes", node("a", { cpu: "2" }));
    expect(cache.snapshot().nodes.map((n) => n.name)).toEqual(["a", "b"]);
    view.put("pods", pod("p", { nodeName: "a", cpu: "500m", hostPort: 80 }));
    view.put("pods", pod("q", { nodeName: "a", cpu: "250m" }));
    expect(cache.node("a")).toMatchObject({ requestedMilliCpu: 750, usedPorts: new Set(["TCP/80/0.0.0.0"]) });
    view.put("pods", pod("p", { nodeName: "a", cpu: "500m", hostPort: 80, phase: "Succeeded" }));
    expect(effects.at(-1)).toEqual({ pending: null, freed: true });
    expect(cache.node("a")).toMatchObject({ requestedMilliCpu: 250, usedPorts: new Set() });
    view.remove("pods", "default", "q");
    expect(podsOn(cache, "a")).toEqual([]);
    view.remove("nodes", CLUSTER_NS, "a");
    expect(cache.snapshot().nodes.map((n) => n.name)).toEqual(["b"]);
  });

  it("keeps a newer version of a placed pod that counts the same as it was counted, and recounts one that does not", () => {
    const view = new MemoryView();
    view.put("nodes", node("a", { cpu: "2" }));
    const { cache } = follow(view);
    const bound = view.put("pods", pod("p", { nodeName: "a", cpu: "500m", hostPort: 80, labels: { app: "web" } })).object;
    const running: Pod = { ...bound, status: { ...bound.status, phase: "Running" } };
    view.put("pods", running);
    expect(cache.node("a")?.pods.get("default/p")).toBe(running);
    expect(cache.node("a")).toMatchObject({ requestedMilliCpu: 500, usedPorts: new Set(["TCP/80/0.0.0.0"]) });
    expect(peersOn(cache.snapshot(), running, "a")).toBe(1);
    const bigger: Pod = { ...running, spec: { ...running.spec, containers: pod("p", { cpu: "1500m" }).spec.containers } };
    view.put("pods", bigger);
    expect(cache.node("a")).toMatchObject({ requestedMilliCpu: 1500, usedPorts: new Set() });
    const relabelled: Pod = { ...bigger, metadata: { ...bigger.metadata, labels: { app: "api" } } };
    view.put("pods", relabelled);
    expect(peersOn(cache.snapshot(), running, "a")).toBe(0);
    expect(peersOn(cache.snapshot(), relabelled, "a")).toBe(1);
  });

  it("keeps the pods of a node the view does not have aside, and counts them when it comes back", () => {
    const view = new MemoryView();
    const { cache } = follow(view);
    view.put("pods", pod("p", { nodeName: "a", cpu: "1" }));
    view.put("nodes", node("a", { cpu: "2" }));
    expect(cache.node("a")?.requestedMilliCpu).toBe(1000);
    view.remove("nodes", CLUSTER_NS, "a");
    view.put("nodes", node("a", { cpu: "2" }));
    expect(podsOn(cache, "a")).toEqual(["default/p"]);
  });

  it("files pending pods oldest first, and drops them once bound, finished or deleted", () => {
    const view = new MemoryView();
    const { cache, effects } = follow(view);
    view.put("pods", pod("young", { created: "2026-01-02T00:00:00Z" }));
    expect(effects.at(-1)).toEqual({ pending: "default/young", freed: false });
    view.put("pods", pod("old", { created: "2026-01-01T00:00:00Z" }));
    view.put("pods", pod("b", { namespace: "x", created: "2026-01-01T00:00:00Z" }));
    view.put("pods", pod("b", { created: "2026-01-01T00:00:00Z" }));
    expect(cache.pendingKeys()).toEqual(["default/b", "x/b", "default/old", "default/young"]);
    view.put("pods", pod("old", { created: "2026-01-01T00:00:00Z", nodeName: "n" }));
    view.put("pods", pod("young", { created: "2026-01-02T00:00:00Z", deleting: true }));
    view.remove("pods", "x", "b");
    expect(cache.pendingKeys()).toEqual(["default/b"]);
  });

  it("built from a view whose pods come in name order, files the pending ones oldest first, then by name", () => {
    const view = new MemoryView();
    const created = ["2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"];
    for (let i = 0; i < 30; i++) view.put("pods", pod(`p${String(i).padStart(2, "0")}`, { created: created[i % 3] }));
    view.put("pods", pod("bound", { created: "2026-01-01T00:00:00Z", nodeName: "n" }));
    const keys = new SchedulerCache(view).pendingKeys();
    expect(keys).toEqual(pendingPods(view.list("pods")).map((p) => `${p.namespace}/${p.name}`));
    expect(keys.slice(0, 3)).toEqual(["default/p01", "default/p04", "default/p07"]);
    expect(keys).toHaveLength(30);
  });

  it("counts an assumed pod on its node until its bind is refused (forget) or its time-to-live runs out (expire)", () => {
    const view = new MemoryView();
    view.put("nodes", node("a", { cpu: "2" }));
    view.put("pods", pod("p", { cpu: "1" }));
    const { cache } = follow(view, 100);
    cache.assume("default/p", "a");
    expect([cache.node("a")?.requestedMilliCpu, cache.pendingKeys(), cache.assumedOn("default/p")]).toEqual([1000, [], "a"]);
    expect(cache.forget("default/p")).toBe(true);
    expect([cache.node("a")?.requestedMilliCpu, cache.pendingKeys()]).toEqual([0, ["default/p"]]);
    cache.assume("default/p", "a");
    expect(cache.expire(1_000)).toEqual([]); // not confirmed yet: the reply decides
    cache.confirm("default/p", 1_000);
    expect(cache.expire(1_099)).toEqual([]);
    expect(cache.expire(1_100)).toEqual(["default/p"]);
    expect([podsOn(cache, "a"), cache.pendingKeys()]).toEqual([[], ["default/p"]]);
  });

  it("keeps an assumption through the pod's pending changes and replaces it by the view's binding", () => {
    const view = new MemoryView();
    view.put("nodes", node("a"));
    view.put("nodes", node("b"));
    view.put("pods", pod("p"));
    const { cache, effects } = follow(view);
    cache.assume("default/p", "a");
    view.put("pods", { ...pod("p"), status: { phase: "Pending" as const, conditions: [] } });
    expect([podsOn(cache, "a"), cache.pendingKeys(), effects.at(-1)]).toEqual([["default/p"], [], { pending: null, freed: false }]);
    cache.confirm("default/p", 0);
    view.put("pods", pod("p", { nodeName: "b" }));
    expect([podsOn(cache, "a"), podsOn(cache, "b"), cache.assumedOn("default/p"), effects.at(-1)?.freed]).toEqual([[], ["default/p"], undefined, true]);
    expect(cache.expire(1_000)).toEqual([]);
    expect(cache.forget("default/p")).toBe(false);
    expect(podsOn(cache, "b")).toEqual(["default/p"]);
  });

  it("drops an assumed pod deleted from the view, and its late reply changes nothing", () => {
    const view = new MemoryView();
    view.put("nodes", node("a"));
    view.put("pods", pod("p"));
    const { cache, effects } = follow(view);
    cache.assume("default/p", "a");
    view.remove("pods", "default", "p");
    expect(effects.at(-1)).toEqual({ pending: null, freed: true });
    cache.confirm("default/p", 0);
    expect([cache.forget("default/p"), cache.expire(1_000), podsOn(cache, "a"), cache.pendingKeys()]).toEqual([false, [], [], []]);
  });

  it("moves a pod the view shows bound to another node", () => {
    const view = new MemoryView();
    view.put("nodes", node("a", { cpu: "1" }));
    view.put("nodes", node("b", { cpu: "1" }));
    const { cache, effects } = follow(view);
    view.put("pods", pod("p", { nodeName: "a", cpu: "1" }));
    view.put("pods", pod("p", { nodeName: "b", cpu: "1" }));
    expect([cache.node("a")?.requestedMilliCpu, cache.node("b")?.requestedMilliCpu, effects.at(-1)?.freed]).toEqual([0, 1000, true]);
  });
});

describe("the scheduler cache's spread counts", () => {
  it("count the peers of a pod per node, and the most on any node in the view, as nodes and pods come and go", () => {
    const view = new MemoryView();
    for (const n of ["a", "b", "c"]) view.put("nodes", node(n));
    view.put("replicationcontrollers", rc("web"));
    const { cache } = follow(view);
    const web = (name: string, nodeName?: string) => pod(name, { labels: { app: "web", v: name }, ...(nodeName ? { nodeName } : {}) });
    for (const [name, at] of [["w1", "a"], ["w2", "a"], ["w3", "b"]] as const) view.put("pods", web(name, at));
    const probe = web("w4");
    const counts = () => [cache.snapshot().spread.maxPeers(probe), ...["a", "b", "c"].map((n) => peersOn(cache.snapshot(), probe, n))];
    expect(counts()).toEqual([2, 2, 1, 0]);
    view.remove("nodes", CLUSTER_NS, "a");
    expect(counts()).toEqual([1, NaN, 1, 0]); // a is not in the view; its pods wait aside and no longer make the maximum
    view.put("nodes", node("d")); // a new node takes the slot a left, without a's count
    expect(peersOn(cache.snapshot(), probe, "d")).toBe(0);
    view.put("nodes", node("a"));
    expect(counts()).toEqual([2, 2, 1, 0]);
    expect(peersOn(cache.snapshot(), probe, "d")).toBe(0);
    view.remove("pods", "default", "w1");
    expect(counts()).toEqual([1, 1, 1, 0]);
    view.remove("replicationcontrollers", "default", "web");
    expect(counts()).toEqual([0, 0, 0, 0]); // no controller: the peers are the pods with the very same labels
  });
});

// A model-based check: any sequence of view changes and of the scheduler's assume/confirm/forget/expire leaves the
// cache equal to a snapshot built whole from the final view (with the pods still assumed placed on their nodes).
const NODES = ["n0", "n1", "n2"];
const PODS = ["p0", "p1", "p2"];
const NAMESPACES = ["default", "other"];
const LABELS: Record<string, string>[] = [{ app: "a" }, { app: "b" }, { app: "a", tier: "x" }, {}];
const SELECTORS: Record<string, string>[] = [{ app: "a" }, { app: "b" }, { tier: "x" }];

const anyNode = fc.record({
  name: fc.constantFrom(...NODES), ready: fc.constantFrom("True" as const, "Unknown" as const),
  cpu: fc.constantFrom("1", "2", undefined), pods: fc.constantFrom("2", undefined), unschedulable: fc.boolean(),
});
const anyPod = fc.record({
  name: fc.constantFrom(...PODS), namespace: fc.constantFrom(...NAMESPACES), labels: fc.constantFrom(...LABELS),
  nodeName: fc.option(fc.constantFrom(...NODES, "gone"), { nil: undefined, freq: 2 }), phase: fc.constantFrom("Pending" as const, "Pending" as const, "Running" as const, "Succeeded" as const),
  deleting: fc.constantFrom(false, false, false, true), cpu: fc.constantFrom("500m", "1", undefined), hostPort: fc.constantFrom(80, 81, undefined),
  created: fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"),
});
const podRef = { name: fc.constantFrom(...PODS), namespace: fc.constantFrom(...NAMESPACES) };
const anyOp = fc.oneof(
  fc.record({ op: fc.constant("node" as const), node: anyNode }),
  fc.record({ op: fc.constant("removeNode" as const), name: fc.constantFrom(...NODES) }),
  fc.record({ op: fc.constant("pod" as const), pod: anyPod }),
  fc.record({ op: fc.constant("pod" as const), pod: anyPod }),
  fc.record({ op: fc.constant("removePod" as const), ...podRef }),
  // A newer version of the pod with only its phase changed: its containers and labels stay the same objects.
  fc.record({ op: fc.constant("status" as const), ...podRef, phase: fc.constantFrom("Pending" as const, "Running" as const) }),
  fc.record({ op: fc.constant("rc" as const), name: fc.constantFrom("r0", "r1"), namespace: fc.constantFrom(...NAMESPACES), selector: fc.constantFrom(...SELECTORS) }),
  fc.record({ op: fc.constant("removeRc" as const), name: fc.constantFrom("r0", "r1"), namespace: fc.constantFrom(...NAMESPACES) }),
  fc.record({ op: fc.constant("assume" as const), ...podRef, node: fc.constantFrom(...NODES, "gone") }),
  fc.record({ op: fc.constant("assume" as const), ...podRef, node: fc.constantFrom(...NODES, "gone") }),
  fc.record({ op: fc.constant("confirm" as const), ...podRef }),
  fc.record({ op: fc.constant("forget" as const), ...podRef }),
  fc.record({ op: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 80 }) }),
);
type Op = typeof anyOp extends fc.Arbitrary<infer T> ? T : never;

const TTL = 100;

/** The view, the cache once it exists, and the assumptions as the rules say they should be. */
class World {
  readonly view = new MemoryView();
  cache: SchedulerCache | null = null;
  readonly assumed = new Map<string, { node: string; deadline: number }>();
  now = 0;

  start(): void {
    const cache = new SchedulerCache(this.view, TTL);
    this.view.onChange((c) => cache.apply(c));
    this.cache = cache;
  }

  run(o: Op): void {
    const key = "namespace" in o && o.op !== "rc" && o.op !== "removeRc" ? `${o.namespace}/${o.name}` : "";
    switch (o.op) {
      case "node": this.view.put("nodes", node(o.node.name, { ...o.node, ...(o.node.cpu ? { cpu: o.node.cpu } : {}), ...(o.node.pods ? { pods: o.node.pods } : {}) })); break;
      case "removeNode": if (this.view.get("nodes", CLUSTER_NS, o.name)) this.view.remove("nodes", CLUSTER_NS, o.name); break;
      case "pod": this.putPod(o.pod); break;
      case "removePod": if (this.view.get("pods", o.namespace, o.name)) { this.assumed.delete(key); this.view.remove("pods", o.namespace, o.name); } break;
      case "status": this.restatus(key, o.namespace, o.name, o.phase); break;
      case "rc": this.view.put("replicationcontrollers", rc(o.name, { namespace: o.namespace, selector: o.selector })); break;
      case "removeRc": if (this.view.get("replicationcontrollers", o.namespace, o.name)) this.view.remove("replicationcontrollers", o.namespace, o.name); break;
      case "assume": this.assume(key, o.node); break;
      case "confirm": this.confirm(key); break;
      case "forget": expect(this.cache?.forget(key) ?? false).toBe(this.cache !== null && this.assumed.delete(key)); break;
      case "tick": this.tick(o.ms); break;
      default: throw new Error(`unknown op ${JSON.stringify(o satisfies never)}`);
    }
  }

  private putPod(p: Op & { op: "pod" } extends { pod: infer P } ? P : never): void {
    const { nodeName, cpu, hostPort, ...rest } = p;
    const object = pod(p.name, { ...rest, ...(nodeName ? { nodeName } : {}), ...(cpu ? { cpu } : {}), ...(hostPort ? { hostPort } : {}) });
    // The rules: the view's binding, or the pod leaving the active ones, ends an assumption; a pending change does not.
    if (nodeName || p.phase === "Succeeded" || p.deleting) this.assumed.delete(`${p.namespace}/${p.name}`);
    this.view.put("pods", object);
  }

  private restatus(key: string, namespace: string, name: string, phase: "Pending" | "Running"): void {
    const current = this.view.get<Pod>("pods", namespace, name)?.object;
    if (!current) return;
    const next: Pod = { ...current, status: { ...current.status, phase } };
    // The rules as in putPod: a bound or deleted pod in the view ends an assumption; a pending one does not.
    if (next.spec.nodeName || next.metadata.deletionTimestamp) this.assumed.delete(key);
    this.view.put("pods", next);
  }

  private assume(key: string, nodeName: string): void {
    if (!this.cache || !this.cache.pendingKeys().includes(key)) return;
    this.cache.assume(key, nodeName);
    this.assumed.set(key, { node: nodeName, deadline: Number.POSITIVE_INFINITY });
  }

  private confirm(key: string): void {
    this.cache?.confirm(key, this.now);
    const a = this.assumed.get(key);
    if (a) a.deadline = this.now + TTL;
  }

  private tick(ms: number): void {
    this.now += ms;
    const expired = [...this.assumed].filter(([, a]) => a.deadline <= this.now).map(([k]) => k);
    expired.forEach((k) => this.assumed.delete(k));
    if (this.cache) expect(this.cache.expire(this.now).sort()).toEqual(expired.sort());
  }

  /** The snapshot built whole from the view, the assumed pods placed on their nodes. */
  expected(): Snapshot {
    const pods = this.view.list<Pod>("pods").map((e) => {
      const a = this.assumed.get(`${e.namespace}/${e.name}`);
      return a ? { ...e.object, spec: { ...e.object.spec, nodeName: a.node } } : e.object;
    });
    const controllers = this.view.list<ReplicationController>("replicationcontrollers").map((e) => ({ namespace: e.namespace, selector: e.object.spec.selector }));
    return buildSnapshot(this.view.list<Node>("nodes").map((e) => e.object), pods, controllers);
  }

  check(): void {
    const cache = this.cache;
    if (!cache) return;
    const expected = this.expected();
    const actual = cache.snapshot();
    expect(actual.nodes.map(shape)).toEqual(expected.nodes.map(shape));
    const pending = pendingPods(this.view.list<Pod>("pods")).filter((e) => !this.assumed.has(`${e.namespace}/${e.name}`));
    expect(cache.pendingKeys()).toEqual(pending.map((e) => `${e.namespace}/${e.name}`));
    for (const e of pending) expect(cache.pendingPod(`${e.namespace}/${e.name}`)?.version).toBe(e.version); // binds name the version
    for (const probe of this.view.list<Pod>("pods").map((e) => e.object)) {
      expect(actual.spread.maxPeers(probe)).toBe(expected.spread.maxPeers(probe));
      for (const { name } of expected.nodes) expect(peersOn(actual, probe, name)).toBe(peersOn(expected, probe, name));
    }
    for (const e of pending) {
      for (const start of [0, 1, 2]) expect(schedule(e.object, actual, undefined, start)).toEqual(schedule(e.object, expected, undefined, start));
    }
  }
}

function shape(n: NodeInfo) {
  return { name: n.name, node: n.node, pods: [...n.pods].sort(([a], [b]) => (a < b ? -1 : 1)), requested: [n.requestedMilliCpu, n.requestedMemory], nonZero: [n.nonZeroMilliCpu, n.nonZeroMemory], allocatable: [n.allocatableMilliCpu, n.allocatableMemory, n.allocatablePods], usedPorts: [...n.usedPorts].sort() };
}

describe("the scheduler cache, after any sequence of changes", () => {
  it("equals the snapshot built from the final view, and files the same pending pods", () => {
    fc.assert(fc.property(fc.array(anyOp, { maxLength: 12, size: "max" }), fc.array(anyOp, { minLength: 10, maxLength: 60, size: "max" }), (before, after) => {
      const world = new World();
      before.forEach((o) => world.run(o));
      world.start();
      world.check();
      for (const o of after) {
        world.run(o);
        world.check();
      }
    }), { numRuns: 400 });
  });
});

describe("a leadership term on the scheduler cache", () => {
  const setup = () => {
    const view = new MemoryView();
    view.put("nodes", node("a", { cpu: "2" }));
    const { cache } = follow(view, 1_000);
    view.put("pods", pod("p", { cpu: "1" }));
    view.put("pods", pod("q", { cpu: "1" }));
    return { view, cache };
  };

  it("forgets the assumptions an ended term never confirmed, and keeps the confirmed ones", () => {
    const { cache } = setup();
    const first = cache.beginTerm();
    first.assume("default/p", "a");
    first.assume("default/q", "a");
    first.confirm("default/q", 0);
    cache.beginTerm();
    expect(cache.pendingPod("default/p")?.name).toBe("p");
    expect(cache.assumedOn("default/p")).toBeUndefined();
    expect(podsOn(cache, "a")).toEqual(["default/q"]);
    expect(cache.assumedOn("default/q")).toBe("a");
  });

  it("ignores an ended term's binds that settle after the next term began", () => {
    const { cache } = setup();
    const first = cache.beginTerm();
    first.assume("default/p", "a");
    const second = cache.beginTerm();
    first.confirm("default/p", 0);
    first.assume("default/q", "a");
    expect(cache.pendingKeys()).toEqual(["default/p", "default/q"]);
    second.assume("default/p", "a");
    first.forget("default/p");
    expect(cache.assumedOn("default/p")).toBe("a");
    expect(podsOn(cache, "a")).toEqual(["default/p"]);
  });
});

