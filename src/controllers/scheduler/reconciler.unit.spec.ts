import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import type { ControllerContext } from "../context.js";
import { actorsOn, node, pod } from "../../../test/harness/controllerObjects.js";
import { pendingPods } from "./pending.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { DEFAULT_PLUGINS } from "./decide.js";
import { filterPlugin } from "./plugins.js";
import { SchedulerReconciler, type SchedulerOptions } from "./reconciler.js";

/**
 * A reconciler whose cache follows `view` (as the term's keyed loop feeds it), with the keys each change queues
 * collected in `queued`; `reconcile` is a pass over every pending pod, `sync` one pod's turn.
 */
function setup(view = new MemoryView(), sender = new RecordingSender(actorsOn(view)), clock = { now: 0 }, options: SchedulerOptions = {}) {
  const ctx: ControllerContext = { view, sender, now: () => clock.now, logger: pino({ level: "silent" }) };
  const reconciler = new SchedulerReconciler(ctx, options);
  const queued: string[] = [];
  view.onChange((c) => queued.push(...reconciler.keysOf(c)));
  return { view, sender, reconciler, queued };
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

  it("leaves a pod with scheduling gates alone (no bind, no mark), and places it once an update takes its last gate away", async () => {
    const { view, sender, reconciler, queued } = setup();
    view.put("nodes", node("a"));
    const base = pod("p");
    view.put("pods", { ...base, spec: { ...base.spec, schedulingGates: [{ name: "example.com/quota" }] } });
    await reconciler.reconcile();
    expect(sender.sent).toEqual([]);
    queued.length = 0;
    view.put("pods", base);
    expect(queued).toContain("default/p");
    await reconciler.sync("default/p");
    expect(sender.ofType("BindPod").map((b) => b.command.data)).toEqual([{ nodeName: "a", hostIP: "10.0.0.1" }]);
  });

  it("places a pod with claims only once they all exist and are Bound, in the VolumeBinding filter's words", async () => {
    const { view, sender, reconciler, queued } = setup();
    view.put("nodes", node("a"));
    const base = pod("p");
    view.put("pods", { ...base, spec: { ...base.spec, volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-p" } }] } });
    await reconciler.reconcile();
    expect(sender.ofType("MarkPodUnschedulable").at(-1)?.command.data).toEqual({ message: '0/1 nodes are available: persistentvolumeclaim "data-p" not found.' });
    view.putAt("persistentvolumeclaims", "default", "data-p", { metadata: { name: "data-p", namespace: "default" }, spec: {}, status: { phase: "Pending" } });
    expect(queued).toContain("default/p");
    await reconciler.reconcile();
    expect(sender.ofType("MarkPodUnschedulable").at(-1)?.command.data).toEqual({ message: "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims." });
    expect(sender.ofType("BindPod")).toHaveLength(0);
    queued.length = 0;
    view.putAt("persistentvolumeclaims", "default", "data-p", { metadata: { name: "data-p", namespace: "default" }, spec: { volumeName: "pv1" }, status: { phase: "Bound" } });
    expect(queued).toContain("default/p");
    await reconciler.sync("default/p");
    expect(sender.ofType("BindPod").map((b) => b.command.data)).toEqual([{ nodeName: "a", hostIP: "10.0.0.1" }]);
  });

  it("counts a confirmed bind the view does not show until its time-to-live runs out, then decides on the pod again", async () => {
    const clock = { now: 0 };
    const view = new MemoryView();
    const { reconciler, queued } = setup(view, new RecordingSender(() => okReply(1_000)), clock);
    view.put("nodes", node("a"));
    view.put("pods", pod("p"));
    await reconciler.reconcile();
    clock.now = 300_000 - 1;
    expect(reconciler.allKeys()).toEqual([]);
    clock.now = 300_000;
    view.put("nodes", node("b"));
    expect(queued.at(-1)).toBe("default/p");
    expect(reconciler.allKeys()).toEqual(["default/p"]);
  });

  it("forgets the assumption of a refused bind and throws, so that the queue tries the pod again after a backoff", async () => {
    const view = new MemoryView();
    const actors = actorsOn(view);
    let refuse = true;
    const sender = new RecordingSender((ref, command) => (refuse && command.type === "BindPod" ? refusedReply("Conflict") : actors(ref, command)));
    const { reconciler } = setup(view, sender);
    view.put("nodes", node("a", { cpu: "1" }));
    view.put("pods", pod("p", { cpu: "1" }));
    await expect(reconciler.sync("default/p")).rejects.toThrow("BindPod default/p to a refused: Conflict");
    expect(reconciler.allKeys()).toEqual(["default/p"]);
    refuse = false;
    await reconciler.sync("default/p");
    // The refused bind no longer counts on a, so the pod fits there again.
    expect(sender.ofType("BindPod").map((b) => (b.command.data as { nodeName: string }).nodeName)).toEqual(["a", "a"]);
    expect(view.get<Pod>("pods", "default", "p")?.object.spec.nodeName).toBe("a");
  });

  it("queues a pod that fitted nowhere again only when a node changes or a pod leaves a node", async () => {
    const { view, reconciler, queued } = setup();
    view.put("nodes", node("a", { cpu: "1" }));
    view.put("pods", pod("big", { cpu: "2" }));
    expect(queued.splice(0)).toEqual(["default/big"]);
    await reconciler.sync("default/big");
    expect(queued.splice(0)).toEqual([]); // its own Unschedulable condition changes nothing
    view.put("pods", pod("small", { cpu: "1" }));
    view.put("pods", pod("other", { nodeName: "a" }));
    expect(queued.splice(0)).toEqual(["default/small"]);
    view.remove("pods", "default", "other");
    expect(queued.splice(0)).toEqual(["default/big"]);
    view.put("nodes", node("b", { cpu: "4" }));
    expect(queued.splice(0)).toEqual(["default/big"]);
    await reconciler.sync("default/big");
    view.put("nodes", node("c"));
    expect(queued.splice(0)).toEqual([]);
    expect(view.get<Pod>("pods", "default", "big")?.object.spec.nodeName).toBe("b");
  });

  it("lets the event loop turn during a long run of decisions that send nothing, whichever worker makes them", async () => {
    let decisions = 0;
    const counting = filterPlugin("Counting", () => { decisions++; return () => null; });
    const plugins = { ...DEFAULT_PLUGINS, filters: [counting, ...DEFAULT_PLUGINS.filters] };
    const { view, reconciler } = setup(undefined, undefined, undefined, { plugins });
    view.put("nodes", node("a", { cpu: "1" }));
    for (let i = 0; i < 200; i++) view.put("pods", pod(`p${i}`, { cpu: "2" }));
    await reconciler.reconcile(); // each marked Unschedulable: from now on a decision sends nothing
    decisions = 0;
    // The decisions made by each turn of the event loop.
    const seen: number[] = [];
    let turning = true;
    const turn = () => {
      seen.push(decisions);
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    const loop = startKeyedLoop("scheduler", reconciler, { resyncMs: 60_000, workers: reconciler.maxInFlight });
    await Promise.resolve(); // the loop queues its first pass on a microtask
    await loop.idle();
    await loop.stop();
    turning = false;
    expect(decisions).toBe(200); // one node: one filter call per decision
    const most = Math.max(...[...seen, decisions].map((d, i, all) => d - (all[i - 1] ?? 0)));
    expect(most).toBeLessThanOrEqual(50);
  });
});
