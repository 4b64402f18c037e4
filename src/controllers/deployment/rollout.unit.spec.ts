import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fenceposts, planRollout, type DeploymentStrategy, type RolloutInput, type RolloutReplicaSet } from "./rollout.js";
import { fnv32a, podTemplateHash } from "./templateHash.js";

const rs = (name: string, replicas: number, availableReplicas = replicas, creationTimestamp = `2026-01-01T00:00:0${name.length % 10}Z`): RolloutReplicaSet =>
  ({ name, replicas, availableReplicas, creationTimestamp });
const rolling = (maxSurge?: number | string, maxUnavailable?: number | string): DeploymentStrategy =>
  ({ type: "RollingUpdate", rollingUpdate: { ...(maxSurge !== undefined ? { maxSurge } : {}), ...(maxUnavailable !== undefined ? { maxUnavailable } : {}) } });

describe("fenceposts", () => {
  it("rounds surge up and unavailable down, 25 % each by default", () => {
    expect(fenceposts(3, { type: "RollingUpdate" })).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(fenceposts(10, rolling("30%", "30%"))).toEqual({ maxSurge: 3, maxUnavailable: 3 });
    expect(fenceposts(3, rolling(0, 0))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });
});

describe("planRollout: one sync", () => {
  it("a new Deployment creates its ReplicaSet at full size", () => {
    expect(planRollout({ replicas: 3, strategy: rolling(), newRS: undefined, oldRSs: [] })).toEqual([{ type: "CreateNewReplicaSet", replicas: 3 }]);
  });
  it("a template change creates the new ReplicaSet at the surge", () => {
    expect(planRollout({ replicas: 3, strategy: rolling(), newRS: undefined, oldRSs: [rs("old", 3)] })).toEqual([{ type: "CreateNewReplicaSet", replicas: 1 }]);
  });
  it("old ReplicaSets shrink only by what is available beyond the minimum, oldest first", () => {
    const input: RolloutInput = { replicas: 4, strategy: rolling(1, 1), newRS: rs("new", 1, 0), oldRSs: [rs("older", 2, 2, "2026-01-01T00:00:00Z"), rs("old", 2, 2, "2026-01-02T00:00:00Z")] };
    expect(planRollout(input)).toEqual([{ type: "Scale", name: "older", replicas: 1 }]);
    expect(planRollout({ ...input, newRS: rs("new", 1, 1) })).toEqual([{ type: "Scale", name: "older", replicas: 0 }]);
    expect(planRollout({ ...input, strategy: rolling(1, 0), newRS: rs("new", 1, 1) })).toEqual([{ type: "Scale", name: "older", replicas: 1 }]);
  });
  it("unhealthy old pods go first, within the budget", () => {
    const input: RolloutInput = { replicas: 3, strategy: rolling(1, 0), newRS: rs("new", 1, 1), oldRSs: [rs("old", 3, 1)] };
    expect(planRollout(input)).toEqual([{ type: "Scale", name: "old", replicas: 2 }]);
  });
  it("Recreate empties the old ReplicaSets, waits for their pods, then fills the new one", () => {
    const base: RolloutInput = { replicas: 3, strategy: { type: "Recreate" }, newRS: undefined, oldRSs: [rs("old", 3)] };
    expect(planRollout(base)).toEqual([{ type: "Scale", name: "old", replicas: 0 }]);
    expect(planRollout({ ...base, oldRSs: [rs("old", 0, 0)], oldPodsActive: 2 })).toEqual([]);
    expect(planRollout({ ...base, oldRSs: [rs("old", 0, 0)], oldPodsActive: 0 })).toEqual([{ type: "CreateNewReplicaSet", replicas: 3 }]);
  });
});

/** A rollout played to the end: each step applies the plan, then some pods of the new ReplicaSet become available. */
function simulate(replicas: number, strategy: DeploymentStrategy, oldSizes: number[], ready: boolean[]): { steps: RolloutReplicaSet[][]; done: boolean } {
  let newRS: RolloutReplicaSet | undefined;
  let old = oldSizes.map((n, i) => rs(`old${i}`, n, n, `2026-01-0${i + 1}T00:00:00Z`));
  const steps: RolloutReplicaSet[][] = [];
  for (let i = 0; i < 200; i++) {
    for (const a of planRollout({ replicas, strategy, newRS, oldRSs: old, oldPodsActive: old.reduce((n, r) => n + r.replicas, 0) })) {
      if (a.type === "CreateNewReplicaSet") newRS = rs("new", a.replicas, 0, "2026-02-01T00:00:00Z");
      else if (a.name === "new" && newRS) newRS = { ...newRS, replicas: a.replicas, availableReplicas: Math.min(newRS.availableReplicas, a.replicas) };
      else old = old.map((r) => (r.name === a.name ? { ...r, replicas: a.replicas, availableReplicas: Math.min(r.availableReplicas, a.replicas) } : r));
    }
    if (newRS && (ready[i % ready.length] ?? true)) newRS = { ...newRS, availableReplicas: Math.min(newRS.replicas, newRS.availableReplicas + 1) };
    steps.push([...old, ...(newRS ? [newRS] : [])]);
    if (newRS?.availableReplicas === replicas && newRS.replicas === replicas && old.every((r) => r.replicas === 0)) return { steps, done: true };
  }
  return { steps, done: false };
}

describe("planRollout: the bounds hold at every step of a rolling update", () => {
  const strategyArb = fc.record({ maxSurge: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("25%", "50%", "0%")), maxUnavailable: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("25%", "50%", "0%")) })
    .map((r) => rolling(r.maxSurge, r.maxUnavailable));
  it("total ≤ replicas + maxSurge, available ≥ replicas - maxUnavailable, and it finishes", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), strategyArb, fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      (replicas, strategy, oldSizes, ready) => {
        fc.pre(oldSizes.reduce((a, b) => a + b, 0) === replicas);
        const { maxSurge, maxUnavailable } = fenceposts(replicas, strategy);
        const { steps, done } = simulate(replicas, strategy, oldSizes, ready.some((r) => r) ? ready : [true]);
        for (const step of steps) {
          expect(step.reduce((n, r) => n + r.replicas, 0)).toBeLessThanOrEqual(replicas + maxSurge);
          expect(step.reduce((n, r) => n + r.availableReplicas, 0)).toBeGreaterThanOrEqual(replicas - maxUnavailable);
        }
        expect(done).toBe(true);
      }), { numRuns: 300 });
  });
});

describe("podTemplateHash", () => {
  it("is FNV-1a (known vector) and stable across key order, and changes with the template or the collision count", () => {
    expect(fnv32a("a")).toBe(0xe40c292c);
    const a = podTemplateHash({ metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "i" }] } });
    expect(podTemplateHash({ spec: { containers: [{ image: "i", name: "c" }] }, metadata: { labels: { app: "x" } } })).toBe(a);
    expect(podTemplateHash({ metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "j" }] } })).not.toBe(a);
    expect(podTemplateHash({ metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "i" }] } }, 1)).not.toBe(a);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    // What kubectl rollout undo sends back (`resources: {}`) is the same template.
    expect(podTemplateHash({ metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "i", resources: {} }] } })).toBe(a);
  });
});
