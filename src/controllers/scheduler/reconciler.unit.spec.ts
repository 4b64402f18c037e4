import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, okReply } from "../../../test/harness/memoryView.js";
import type { ControllerContext } from "../context.js";
import { actorsOn, node, pod } from "../../../test/harness/controllerObjects.js";
import { pendingPods } from "./pending.js";
import { SchedulerReconciler } from "./reconciler.js";

/** A reconciler whose cache follows `view` (as the term's keyed loop feeds it); `reconcile` is a pass over every pending pod. */
function setup(view = new MemoryView(), sender = new RecordingSender(actorsOn(view))) {
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  const reconciler = new SchedulerReconciler(ctx);
  view.onChange((c) => reconciler.keysOf(c));
  return { view, sender, reconciler };
}

describe("pending pods", () => {
  it("are the active unbound ones, oldest first", () => {
    const entries = [
      pod("young", { created: "2026-01-02T00:00:00Z" }), pod("old", { created: "2026-01-01T00:00:00Z" }),
      pod("bound", { nodeName: "n" }), pod("leaving", { deleting: true }),
    ].map((object) => ({ resource: "pods" as const, namespace: "default", name: object.metadata.name, object, version: 1, resourceVersion: 1 }));
    expect(pendingPods(entries).map((e) => e.name)).toEqual(["old", "young"]);
  });
});

describe("the scheduler reconciler", () => {
  it("binds with the pod's version and the node's address, counting this round's binds", async () => {
    const { view, sender, reconciler } = setup();
    view.put("nodes", node("a", { cpu: "1" }));
    view.put("nodes", node("b", { cpu: "1" }));
    const first = view.put("pods", pod("p1", { cpu: "600m", created: "2026-01-01T00:00:00Z" }));
    view.put("pods", pod("p2", { cpu: "600m", created: "2026-01-01T00:00:01Z" }));
    await reconciler.reconcile();
    const binds = sender.ofType("BindPod");
    expect(binds.map((b) => [b.ref.name, (b.command.data as { nodeName: string }).nodeName])).toEqual([["p1", "a"], ["p2", "b"]]);
    expect(binds[0]?.command).toMatchObject({ expectedVersion: first.version, data: { hostIP: "10.0.0.1" } });
    expect(binds[0]?.command.id).toBe(`sched:uid-p1:v${first.version}:bind:a`);
  });

  it("does not bind again a pod whose bind the view does not show yet", async () => {
    const view = new MemoryView();
    const sender = new RecordingSender(() => okReply(1_000));
    const { reconciler } = setup(view, sender);
    view.put("nodes", node("a"));
    view.put("pods", pod("p"));
    await reconciler.reconcile();
    await reconciler.reconcile();
    expect(sender.ofType("BindPod")).toHaveLength(1);
  });

  it("marks an unschedulable pod once per message, and binds it when a node comes", async () => {
    const { view, sender, reconciler } = setup();
    view.put("nodes", node("a", { ready: "Unknown" }));
    view.put("pods", pod("p"));
    await reconciler.reconcile();
    await reconciler.reconcile();
    const marks = sender.ofType("MarkPodUnschedulable");
    expect(marks.map((m) => m.command.data)).toEqual([{ message: "0/1 nodes are available: 1 node(s) were not ready." }]);
    view.put("nodes", node("b", { unschedulable: true }));
    await reconciler.reconcile();
    expect(sender.ofType("MarkPodUnschedulable").at(-1)?.command.data).toEqual({
      message: "0/2 nodes are available: 1 node(s) were not ready, 1 node(s) were unschedulable.",
    });
    view.put("nodes", node("a"));
    await reconciler.reconcile();
    expect(sender.ofType("BindPod").map((b) => b.command.data)).toEqual([{ nodeName: "a", hostIP: "10.0.0.1" }]);
  });
});
