import { describe, expect, it } from "vitest";
import { dropStateTaints, missingDefaultTolerations, showStateTaints, stateTaints, toleratedLossMs } from "./nodeTaints.js";

const node = (spec: Record<string, unknown>, ready?: string) => ({
  kind: "Node", metadata: { name: "n1" }, spec,
  status: { conditions: ready ? [{ type: "Ready", status: ready, lastTransitionTime: "2026-12-08T03:00:00Z" }] : [] },
});

describe("the taints of a node's state", () => {
  it("gives a cordoned node unschedulable, and a lost one not-ready or unreachable with both effects since its condition changed", () => {
    expect(stateTaints(node({}, "True"))).toEqual([]);
    expect(stateTaints(node({ unschedulable: true }, "True"))).toEqual([{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }]);
    expect(stateTaints(node({}, "Unknown"))).toEqual([
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: "2026-12-08T03:00:00Z" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "2026-12-08T03:00:00Z" },
    ]);
    expect(stateTaints(node({}, "False")).map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"]);
    expect(stateTaints(node({}))).toEqual([]); // not known yet
  });

  it("shows them after the node's own taints without changing the node, and drops them from a node written back", () => {
    const own = { key: "dedicated", value: "batch", effect: "NoSchedule" };
    const stored = node({ unschedulable: true, taints: [own] }, "Unknown");
    const shown = showStateTaints(stored);
    expect((shown.spec.taints as { key: string }[]).map((t) => t.key)).toEqual(["dedicated", "node.kubernetes.io/unschedulable", "node.kubernetes.io/unreachable", "node.kubernetes.io/unreachable"]);
    expect(stored.spec.taints).toEqual([own]);
    const back = structuredClone(shown) as unknown as Record<string, unknown>;
    dropStateTaints(back);
    expect(back.spec).toEqual({ unschedulable: true, taints: [own] });
    const bare = structuredClone(showStateTaints(node({ unschedulable: true }))) as unknown as Record<string, unknown>;
    dropStateTaints(bare);
    expect(bare.spec).toEqual({ unschedulable: true });
    const ready = node({}, "True");
    expect(showStateTaints(ready)).toBe(ready);
  });

  it("adds a pod the default 300 s tolerations of the lost states it does not tolerate, and reads how long a pod stays", () => {
    expect(missingDefaultTolerations(undefined).map((t) => `${t.key}:${t.tolerationSeconds}`)).toEqual(["node.kubernetes.io/not-ready:300", "node.kubernetes.io/unreachable:300"]);
    expect(missingDefaultTolerations([{ operator: "Exists" }])).toEqual([]); // tolerates everything
    expect(missingDefaultTolerations([{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoSchedule" }])).toHaveLength(2);
    const key = "node.kubernetes.io/unreachable";
    expect(toleratedLossMs(undefined, key, 300_000)).toBe(300_000);
    expect(toleratedLossMs([{ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }], key, 300_000)).toBe(30_000);
    expect(toleratedLossMs([{ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: -5 }], key, 300_000)).toBe(0);
    expect(toleratedLossMs([{ key, operator: "Exists", effect: "NoExecute" }], key, 300_000)).toBe(Infinity);
  });
});
