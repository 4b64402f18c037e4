import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { node, pod } from "../../../test/harness/controllerObjects.js";
import { DEFAULT_SCORES, leastAllocated, MAX_SCORE, selectorSpread } from "./scores.js";
import { buildSnapshot } from "./snapshot.js";

const WEB = [{ namespace: "default", selector: { app: "web" } }];
const placed = (name: string, nodeName: string, o: Parameters<typeof pod>[1] = {}) => {
  const p = pod(name, { labels: { app: "web" }, ...o });
  return { ...p, spec: { ...p.spec, nodeName } };
};

describe("default scores", () => {
  it("LeastAllocated: thousandths of Kubernetes' 10 × free / allocatable, rounded down, averaged over cpu and memory", () => {
    const snapshot = buildSnapshot([node("n", { cpu: "4", memory: "16Gi" })], [placed("q", "n", { cpu: "1" })], []);
    // cpu: 1000m asked + 100m (a pod stating none) of 4000m → 10,000 × 2900 / 4000 = 7250;
    // memory: 200Mi + 200Mi (neither states any) of 16Gi → ⌊10,000 × 15,984 / 16,384⌋ = 9755; the average ⌊17,005 / 2⌋.
    expect(leastAllocated.score(pod("p"), snapshot.nodes[0]!, snapshot)).toBe(8502);
    const cpuOnly = buildSnapshot([node("n", { cpu: "4" })], [], []);
    expect(leastAllocated.score(pod("p"), cpuOnly.nodes[0]!, cpuOnly)).toBe(9750);
  });

  it("SelectorSpread: the best score on the nodes with the fewest peers, 0 on those with the most", () => {
    const nodes = ["a", "b", "c"].map((n) => node(n));
    const snapshot = buildSnapshot(nodes, [placed("q1", "a"), placed("q2", "a"), placed("q3", "a"), placed("q4", "b")], WEB);
    const scores = snapshot.nodes.map((info) => selectorSpread.score(pod("p", { labels: { app: "web" } }), info, snapshot));
    expect(scores).toEqual([0, 6666, MAX_SCORE]);
  });

  it("are whole numbers from 0 to MAX_SCORE, which a decision adds up without allocating", () => {
    const amount = fc.constantFrom(undefined, "100m", "250m", "1", "3");
    const memory = fc.constantFrom(undefined, "64Mi", "1Gi", "3Gi");
    const spec = fc.record({ cpu: amount, memory, app: fc.constantFrom("web", "db") });
    fc.assert(fc.property(fc.array(fc.record({ cpu: amount, memory }), { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(spec, fc.nat(3)), { maxLength: 10 }), spec, (nodeSpecs, placedSpecs, p) => {
      const nodes = nodeSpecs.map((n, i) => node(`n${i}`, { ...(n.cpu ? { cpu: n.cpu } : {}), ...(n.memory ? { memory: n.memory } : {}) }));
      const opts = (o: typeof p) => ({ labels: { app: o.app }, ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) });
      const pods = placedSpecs.map(([o, n], i) => placed(`q${i}`, `n${n % nodes.length}`, opts(o)));
      const snapshot = buildSnapshot(nodes, pods, WEB);
      for (const plugin of DEFAULT_SCORES) {
        for (const info of snapshot.nodes) {
          const score = plugin.score(pod("p", opts(p)), info, snapshot);
          expect(Number.isInteger(score) && score >= 0 && score <= MAX_SCORE, `${plugin.name} on ${info.name}: ${score}`).toBe(true);
        }
      }
    }));
  });
});
