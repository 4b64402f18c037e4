import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import type { PodDisruptionBudgetStatus } from "../../api/podDisruptionBudget.js";
import { podDisruptionBudgetKind } from "./index.js";

const decider = podDisruptionBudgetKind.decider;
const m = meta({ namespace: "default", name: "web", uid: "u-pdb", time: "2026-12-07T10:00:00Z" });
const command = commandOf(decider, m);
const created = { type: "PodDisruptionBudgetCreated", data: { object: {
  kind: "PodDisruptionBudget", metadata: { name: "web", namespace: "default", uid: "u-pdb", generation: 1 }, spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } }, status: {},
} } };
const status = (s: PodDisruptionBudgetStatus) => ({ type: "PodDisruptionBudgetStatusRecorded", data: s });
const admit = (pod: string) => command("AdmitEviction" as never, { pod } as never);
/** The budget's status after `events`, as the actor renders it. */
const statusAfter = (events: readonly object[]) =>
  (decider.render(events.reduce<typeof decider.initialState>((s, e) => decider.evolve(s, { ...e, version: 1, time: "t", uid: "u" } as never), decider.initialState)) as { status: PodDisruptionBudgetStatus }).status;
const allowing = (n: number) => status({ observedGeneration: 1, disruptionsAllowed: n, currentHealthy: 2 + n, desiredHealthy: 2, expectedPods: 2 + n,
  conditions: [{ type: "DisruptionAllowed", status: n > 0 ? "True" : "False", reason: n > 0 ? "SufficientPods" : "InsufficientPods", lastTransitionTime: "2026-12-07T09:00:00Z" }] });

describe("the PodDisruptionBudget actor", () => {
  it("admits an eviction while a disruption is allowed: one fewer, the pod among the disrupted, DisruptionAllowed False at none", () => {
    const events = given(decider, [created, allowing(2)] as never).when(admit("web-1")).then([{ type: "EvictionAdmitted", data: { pod: "web-1", time: "2026-12-07T10:00:00Z" } }] as never);
    const once = [created, allowing(2), ...events];
    expect(statusAfter(once)).toMatchObject({ disruptionsAllowed: 1, disruptedPods: { "web-1": "2026-12-07T10:00:00Z" }, conditions: [{ status: "True" }] });
    // The second takes the last; then the condition turns, and a third is refused.
    const twice = [...once, { type: "EvictionAdmitted", data: { pod: "web-2", time: "2026-12-07T10:00:01Z" } }];
    expect(statusAfter(twice)).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { "web-1": "2026-12-07T10:00:00Z", "web-2": "2026-12-07T10:00:01Z" }, conditions: [{ status: "False", reason: "InsufficientPods" }] });
    given(decider, twice as never).when(admit("web-3")).thenThrows("TooManyRequests", /^Cannot evict pod as it would violate the pod's disruption budget\.$/);
  });

  it("refuses with 429 and the budget's numbers when none is allowed, and while its status is older than its spec", () => {
    let caught: { code?: number; details?: { causes?: { reason?: string; message: string }[] } } = {};
    try {
      given(decider, [created, allowing(0)] as never).when(admit("web-1")).then([]);
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught.code).toBe(429);
    expect(caught.details?.causes).toEqual([{ field: "", reason: "DisruptionBudget", message: "The disruption budget web needs 2 healthy pods and has 2 currently" }]);
    // A fresh budget (no status yet) and one whose spec changed since: the controller has not caught up.
    given(decider, [created] as never).when(admit("web-1")).thenThrows("TooManyRequests");
    const changed = { type: "PodDisruptionBudgetUpdated", data: { fields: { spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } } } } };
    given(decider, [created, allowing(2), changed] as never).when(admit("web-1")).thenThrows("TooManyRequests");
  });
});
