import { describe, expect, it } from "vitest";
import { pod } from "../../../test/harness/controllerObjects.js";
import type { Pod } from "../../api/pod.js";
import type { PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from "../../api/podDisruptionBudget.js";
import { budgetSelects, budgetStatus, controllerOfPod, DELETION_TIMEOUT_MS, type BudgetInputs } from "./decide.js";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const budget = (spec: PodDisruptionBudgetSpec, status?: PodDisruptionBudgetStatus, generation = 1): PodDisruptionBudget => ({
  kind: "PodDisruptionBudget", metadata: { name: "web", namespace: "default", uid: "u-pdb", generation, creationTimestamp: "2026-12-07T09:00:00Z" }, spec: { selector: { matchLabels: { app: "web" } }, ...spec },
  ...(status ? { status } : {}),
});
const owned = (name: string, kind: string, owner: string, ready = true): Pod => {
  const p = pod(name, { nodeName: "n1", ready, labels: { app: "web" } });
  return { ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: "apps/v1", kind, name: owner, uid: `uid-${owner}`, controller: true }] } };
};
const inputs = (scales: Record<string, number> = {}): BudgetInputs => ({
  scaleOf: (c) => (scales[c.name] === undefined ? undefined : { key: c.name, replicas: scales[c.name] ?? 0 }),
  nowMs: NOW, now: "2026-12-07T10:00:00Z",
});

describe("a PodDisruptionBudget's status", () => {
  it("with minAvailable a count: the selected pods are expected, the Ready ones healthy, the rest may go", () => {
    const pods = [owned("a", "ReplicaSet", "rs"), owned("b", "ReplicaSet", "rs"), owned("c", "ReplicaSet", "rs", false)];
    const { status } = budgetStatus(budget({ minAvailable: 1 }), pods, inputs());
    expect(status).toMatchObject({ observedGeneration: 1, expectedPods: 3, currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
    expect(status.conditions).toEqual([{ type: "DisruptionAllowed", status: "True", reason: "SufficientPods", observedGeneration: 1, lastTransitionTime: "2026-12-07T10:00:00Z" }]);
  });

  it("with a percentage or maxUnavailable: the expected pods are the controllers' replicas, each controller once, rounded up", () => {
    const pods = [owned("a", "ReplicaSet", "rs"), owned("b", "ReplicaSet", "rs"), owned("c", "StatefulSet", "db")];
    // 4 + 3 replicas expected, 3 healthy: minAvailable 30% of 7 is 3 (2.1 up); maxUnavailable 50% of 7 is 4 (3.5 up): 3 wanted.
    expect(budgetStatus(budget({ minAvailable: "30%" }), pods, inputs({ rs: 4, db: 3 })).status).toMatchObject({ expectedPods: 7, desiredHealthy: 3, disruptionsAllowed: 0 });
    expect(budgetStatus(budget({ maxUnavailable: "50%" }), pods, inputs({ rs: 4, db: 3 })).status).toMatchObject({ expectedPods: 7, desiredHealthy: 3, disruptionsAllowed: 0 });
    expect(budgetStatus(budget({ maxUnavailable: 6 }), pods, inputs({ rs: 4, db: 3 })).status).toMatchObject({ desiredHealthy: 1, disruptionsAllowed: 2 });
    expect(budgetStatus(budget({ maxUnavailable: 9 }), pods, inputs({ rs: 4, db: 3 })).status).toMatchObject({ desiredHealthy: 0, disruptionsAllowed: 3 });
  });

  it("allows nothing when a selected pod's controller cannot be found (SyncFailed), or when nothing is expected", () => {
    const pods = [owned("a", "ReplicaSet", "gone")];
    const { status } = budgetStatus(budget({ maxUnavailable: 1 }, { disruptionsAllowed: 2, observedGeneration: 1 }), pods, inputs());
    expect(status).toMatchObject({ disruptionsAllowed: 0 });
    expect(status.conditions?.[0]).toMatchObject({ status: "False", reason: "SyncFailed", message: 'found no controllers for pod "a"' });
    expect(budgetStatus(budget({}), [owned("a", "ReplicaSet", "rs")], inputs()).status).toMatchObject({ expectedPods: 0, currentHealthy: 1, disruptionsAllowed: 0 });
    expect(budgetStatus(budget({ minAvailable: 0 }), [], inputs()).status).toMatchObject({ expectedPods: 0, disruptionsAllowed: 0 });
  });

  it("counts an evicted pod as disrupted until it is being deleted, is gone, or its two minutes ran out, and says when to look again", () => {
    const pods = [owned("a", "ReplicaSet", "rs"), owned("b", "ReplicaSet", "rs"), { ...owned("c", "ReplicaSet", "rs"), metadata: { ...owned("c", "ReplicaSet", "rs").metadata, deletionTimestamp: "2026-12-07T09:59:59Z" } }, owned("d", "ReplicaSet", "rs")];
    const justNow = "2026-12-07T09:59:30Z";
    const disruptedPods = { a: justNow, c: justNow, gone: justNow, d: "2026-12-07T09:57:00Z" };
    const decision = budgetStatus(budget({ minAvailable: 1 }, { disruptedPods }), pods, inputs());
    // a: still disrupted; c: being deleted (not healthy either); gone: no such pod; d: its wait ran out, healthy again.
    expect(decision.status.disruptedPods).toEqual({ a: justNow });
    expect(decision.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    expect(decision.recheckAt).toBe(Date.parse(justNow) + DELETION_TIMEOUT_MS);
    expect(budgetStatus(budget({ minAvailable: 1 }), pods, inputs()).recheckAt).toBeUndefined();
  });

  it("keeps the condition's transition time while its status stays, and moves it when it turns", () => {
    const before = { observedGeneration: 1, conditions: [{ type: "DisruptionAllowed", status: "True" as const, reason: "SufficientPods", lastTransitionTime: "2026-12-07T09:00:00Z" }] };
    const pods = [owned("a", "ReplicaSet", "rs"), owned("b", "ReplicaSet", "rs")];
    expect(budgetStatus(budget({ minAvailable: 1 }, before), pods, inputs()).status.conditions?.[0]?.lastTransitionTime).toBe("2026-12-07T09:00:00Z");
    expect(budgetStatus(budget({ minAvailable: 2 }, before, 2), pods, inputs()).status).toMatchObject({
      observedGeneration: 2, conditions: [{ status: "False", reason: "InsufficientPods", lastTransitionTime: "2026-12-07T10:00:00Z", observedGeneration: 2 }],
    });
  });

  it("selects nothing without a selector and every pod with an empty one; a pod's controller is its reference or its created-by replication controller", () => {
    const { selector: _s, ...none } = budget({}).spec;
    expect(budgetSelects({ spec: none }, { app: "web" })).toBe(false);
    expect(budgetSelects({ spec: { selector: {} } }, {})).toBe(true);
    expect(budgetSelects(budget({}), { app: "db" })).toBe(false);
    const made = pod("m", { labels: { app: "web" } });
    expect(controllerOfPod({ ...made, metadata: { ...made.metadata, annotations: { "coxswain.io/created-by": "replicationcontrollers/default/web" } } })).toEqual({ kind: "ReplicationController", name: "web" });
    expect(controllerOfPod(owned("a", "StatefulSet", "db"))).toEqual({ kind: "StatefulSet", name: "db", uid: "uid-db" });
    expect(controllerOfPod(made)).toBeUndefined();
  });
});
