import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { node, pod, rc } from "../../../test/harness/controllerObjects.js";
import { DEFAULT_PLUGINS, failureMessage, feasibleNodesToFind, firstFailure, schedule } from "./decide.js";
import { buildSnapshot } from "./snapshot.js";

describe("the scheduling decision", () => {
  it("explains a failure with the count per reason, ordered by reason", () => {
    const nodes = [node("a", { cpu: "1" }), node("b", { unschedulable: true }), node("c", { cpu: "500m" })];
    const decision = schedule(pod("p", { cpu: "2" }), buildSnapshot(nodes, [], []));
    expect(decision).toEqual({ unschedulable: "0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable." });
  });

  it("picks the best-scoring node that every filter lets through, as the plugins judge each node alone", () => {
    const cpu = fc.constantFrom(undefined, "100m", "1", "3");
    const nodeArb = fc.record({ ready: fc.constantFrom("True" as const, "False" as const), unschedulable: fc.boolean(), cpu, disk: fc.constantFrom("ssd", "hdd") });
    const podArb = fc.record({ app: fc.constantFrom("web", "db"), cpu, hostPort: fc.constantFrom(undefined, 80), ssd: fc.boolean(), nodeName: fc.constantFrom(undefined, "n0", "n1") });
    fc.assert(fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 6 }), fc.array(podArb, { maxLength: 8 }), podArb, (nodeSpecs, placedSpecs, p) => {
      const nodes = nodeSpecs.map((n, i) => node(`n${i}`, { ready: n.ready, unschedulable: n.unschedulable, ...(n.cpu ? { cpu: n.cpu } : {}), labels: { disk: n.disk } }));
      const asPod = (name: string, o: typeof p) => pod(name, {
        labels: { app: o.app }, ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.hostPort ? { hostPort: o.hostPort } : {}), ...(o.ssd ? { nodeSelector: { disk: "ssd" } } : {}),
      });
      const placed = placedSpecs.map((o, i) => ({ ...asPod(`q${i}`, o), spec: { ...asPod(`q${i}`, o).spec, ...(o.nodeName ? { nodeName: o.nodeName } : {}) } }));
      const snapshot = buildSnapshot(nodes, placed, [{ namespace: "default", selector: { app: "web" } }]);
      const wanted = asPod("p", p);
      let best: { nodeName: string; score: number } | null = null;
      for (const info of snapshot.nodes) {
        if (firstFailure(wanted, info, snapshot, DEFAULT_PLUGINS) !== null) continue;
        const score = DEFAULT_PLUGINS.scores.reduce((sum, s) => sum + s.weight * s.score(wanted, info, snapshot), 0);
        if (!best || score > best.score) best = { nodeName: info.name, score };
      }
      const decision = schedule(wanted, snapshot);
      if (best) expect(decision).toEqual(best);
      else expect(decision).toHaveProperty("unschedulable");
    }));
  });

  it("words the no-node case", () => {
    expect(failureMessage(0, new Map())).toBe("no nodes available to schedule pods");
  });

  it("spreads the pods of one controller across nodes", () => {
    const nodes = [node("a"), node("b"), node("c")];
    const web = rc("web");
    const controllers = [{ namespace: "default", selector: web.spec.selector }];
    const existing = [pod("web-1", { labels: { app: "web", v: "1" }, nodeName: "a" }), pod("web-2", { labels: { app: "web", v: "2" }, nodeName: "b" })];
    const decision = schedule(pod("web-3", { labels: { app: "web", v: "3" } }), buildSnapshot(nodes, existing, controllers));
    expect(decision).toMatchObject({ nodeName: "c" });
  });

  it("spreads pods with the same labels when no controller selects them", () => {
    const nodes = [node("a"), node("b")];
    const existing = [pod("x-1", { labels: { app: "x" }, nodeName: "a" }), pod("y-1", { labels: { app: "y" }, nodeName: "b" })];
    const decision = schedule(pod("x-2", { labels: { app: "x" } }), buildSnapshot(nodes, existing, []));
    expect(decision).toMatchObject({ nodeName: "b" });
  });

  it("prefers the least allocated node, and the first by name on a tie", () => {
    const nodes = [node("a", { cpu: "4", memory: "8Gi" }), node("b", { cpu: "4", memory: "8Gi" })];
    expect(schedule(pod("p"), buildSnapshot(nodes, [], []))).toMatchObject({ nodeName: "a" });
    const busy = [pod("q", { labels: { other: "1" }, nodeName: "a", cpu: "2" })];
    expect(schedule(pod("p"), buildSnapshot(nodes, busy, []))).toMatchObject({ nodeName: "b" });
  });

  it("samples large clusters as Kubernetes does: a share of the nodes, at least 100, from a rotating start", () => {
    expect(feasibleNodesToFind(5)).toBe(5);
    expect(feasibleNodesToFind(100)).toBe(100);
    expect(feasibleNodesToFind(1000)).toBe(420); // 50 % − 8 %
    expect(feasibleNodesToFind(5000)).toBe(500); // 10 %
    expect(feasibleNodesToFind(20000)).toBe(1000); // the 5 % floor
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${String(i).padStart(3, "0")}`));
    const snapshot = buildSnapshot(nodes, [], []);
    // all nodes empty and equal: the first feasible node in the scan order wins, so the start decides
    expect(schedule(pod("p"), snapshot, undefined, 0)).toMatchObject({ nodeName: "n000" });
    expect(schedule(pod("p"), snapshot, undefined, 250)).toMatchObject({ nodeName: "n250" });
  });

  it("still counts every node in the message of a pod that fits nowhere", () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${i}`, { cpu: "1" }));
    expect(schedule(pod("p", { cpu: "2" }), buildSnapshot(nodes, [], []), undefined, 17)).toEqual({ unschedulable: "0/300 nodes are available: 300 Insufficient cpu." });
  });
});
