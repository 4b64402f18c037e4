import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender } from "../../../test/harness/memoryView.js";
import type { ControllerContext } from "../context.js";
import { actorsOn, node, pod } from "../../../test/harness/controllerObjects.js";
import type { NodeLease } from "../../api/nodeLease.js";
import { NodeLifecycleReconciler } from "./reconciler.js";

function setup() {
  const view = new MemoryView();
  const sender = new RecordingSender(actorsOn(view));
  const leases = new Map<string, NodeLease>();
  const clock = { now: 0 };
  const ctx: ControllerContext = { view, sender, now: () => clock.now, logger: pino({ level: "silent" }) };
  const reconciler = new NodeLifecycleReconciler(ctx, { leases: () => leases }, { gracePeriodMs: 40_000, evictionTimeoutMs: 300_000 });
  const beat = (name: string) => leases.set(name, { nodeName: name, renewTime: new Date(clock.now).toISOString() });
  return { view, sender, clock, reconciler, beat };
}

describe("the node lifecycle reconciler", () => {
  it("makes a beating node Ready, a silent one NotReady after the grace period, and evicts its pods after the timeout", async () => {
    const { view, sender, clock, reconciler, beat } = setup();
    view.put("nodes", node("a", { ready: "Unknown" }));
    view.put("pods", pod("p", { nodeName: "a" }));
    view.put("pods", pod("done", { nodeName: "a", phase: "Succeeded" }));
    beat("a");
    await reconciler.reconcile();
    expect(sender.sent).toHaveLength(0); // the first look at a lease is only a baseline
    clock.now = 1_000;
    beat("a");
    await reconciler.reconcile();
    expect(sender.ofType("SetNodeCondition").map((s) => s.command.data)).toEqual([
      { type: "Ready", status: "True", reason: "NodeReady", message: "the node agent is posting heartbeats" },
    ]);
    clock.now = 40_999;
    await reconciler.reconcile();
    expect(sender.ofType("SetNodeCondition")).toHaveLength(1);
    clock.now = 41_000;
    await reconciler.reconcile();
    expect(sender.ofType("SetNodeCondition").at(-1)?.command.data).toMatchObject({ status: "Unknown" });
    clock.now = 340_999;
    await reconciler.reconcile();
    expect(sender.ofType("EvictPod")).toHaveLength(0);
    clock.now = 341_000;
    await reconciler.reconcile();
    expect(sender.ofType("EvictPod").map((s) => [s.ref.name, s.command.id, s.command.data])).toEqual([
      ["p", "nodelifecycle:evict:uid-p", { reason: "NodeLost", message: "Node a which was running pod p is unresponsive" }],
    ]);
  });

  it("makes a node Ready again when its heartbeat returns", async () => {
    const { view, sender, clock, reconciler, beat } = setup();
    view.put("nodes", node("a", { ready: "Unknown" }));
    clock.now = 50_000;
    await reconciler.reconcile();
    expect(sender.sent).toHaveLength(0);
    beat("a");
    await reconciler.reconcile();
    expect(sender.ofType("SetNodeCondition").map((s) => s.command.data)).toMatchObject([{ status: "True" }]);
  });

  it("gives nodes that never beat the grace period from its start", async () => {
    const { view, sender, clock, reconciler } = setup();
    view.put("nodes", node("a"));
    clock.now = 1_000_000;
    await reconciler.reconcile();
    expect(sender.sent).toHaveLength(0);
    clock.now += 40_000;
    await reconciler.reconcile();
    expect(sender.ofType("SetNodeCondition").map((s) => s.command.data)).toMatchObject([{ status: "Unknown" }]);
  });
});
