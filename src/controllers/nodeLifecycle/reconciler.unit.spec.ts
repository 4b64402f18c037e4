import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryView, RecordingSender } from "../../../test/harness/memoryView.js";
import { MemoryHeartbeats } from "../../../test/harness/memoryHeartbeats.js";
import type { ControllerContext } from "../context.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { actorsOn, node, pod } from "../../../test/harness/controllerObjects.js";
import { NodeLifecycleReconciler } from "./reconciler.js";

const opts = { gracePeriodMs: 40_000, evictionTimeoutMs: 300_000 };

function setup() {
  const view = new MemoryView();
  const sender = new RecordingSender(actorsOn(view));
  const heartbeats = new MemoryHeartbeats();
  const clock = { now: 0 };
  const ctx: ControllerContext = { view, sender, now: () => clock.now, logger: pino({ level: "silent" }) };
  const reconciler = new NodeLifecycleReconciler(ctx, heartbeats, opts);
  const beat = (name: string) => heartbeats.beat(name);
  return { view, sender, clock, reconciler, beat };
}

describe("the node lifecycle reconciler", () => {
  it("makes a beating node Ready, a silent one NotReady after the grace period, and evicts its pods after the timeout", async () => {
    const { view, sender, clock, reconciler, beat } = setup();
    view.put("nodes", node("a", { ready: "Unknown" }));
    view.put("pods", pod("p", { nodeName: "a" }));
    view.put("pods", pod("done", { nodeName: "a", phase: "Succeeded" }));
    // A daemon pod tolerates the node's loss for good: it stays; one that tolerates it for a while is evicted.
    const tolerating = (seconds?: number) => ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].map((key) => ({ key, operator: "Exists" as const, effect: "NoExecute" as const, ...(seconds ? { tolerationSeconds: seconds } : {}) }));
    const daemon = pod("daemon", { nodeName: "a" });
    view.put("pods", { ...daemon, spec: { ...daemon.spec, tolerations: tolerating() } });
    const patient = pod("patient", { nodeName: "a" });
    view.put("pods", { ...patient, spec: { ...patient.spec, tolerations: tolerating(300) } });
    // One that tolerates it for a minute goes after a minute (taint-based eviction: each pod its own time).
    const brief = pod("brief", { nodeName: "a" });
    view.put("pods", { ...brief, spec: { ...brief.spec, tolerations: tolerating(60) } });
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
    clock.now = 100_999;
    await reconciler.reconcile();
    expect(sender.ofType("EvictPod")).toHaveLength(0);
    clock.now = 101_000;
    await reconciler.reconcile();
    expect(sender.ofType("EvictPod").map((s) => s.ref.name)).toEqual(["brief"]);
    view.remove("pods", "default", "brief"); // gone, as the eviction makes it
    clock.now = 340_999;
    await reconciler.reconcile();
    expect(sender.ofType("EvictPod")).toHaveLength(1);
    clock.now = 341_000;
    await reconciler.reconcile();
    expect(sender.ofType("EvictPod").slice(1).map((s) => [s.ref.name, s.command.id, s.command.data])).toEqual([
      ["p", "nodelifecycle:evict:uid-p", { reason: "NodeLost", message: "Node a which was running pod p is unresponsive" }],
      ["patient", "nodelifecycle:evict:uid-patient", { reason: "NodeLost", message: "Node a which was running pod patient is unresponsive" }],
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

describe("the node lifecycle on its work queue", () => {
  // Simulated time: the loop's timers and the controller's clock (performance.now) move only when the test says.
  beforeEach(() => { vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] }); });
  afterEach(() => { vi.useRealTimers(); });

  function started(names: string[]) {
    const view = new MemoryView();
    for (const n of names) view.put("nodes", node(n));
    const sender = new RecordingSender(actorsOn(view));
    const heartbeats = new MemoryHeartbeats();
    const ctx: ControllerContext = { view, sender, now: () => performance.now(), logger: pino({ level: "silent" }) };
    // A resync far beyond the test: whatever is looked at, a lease, a change or a deadline asked for it.
    const loop = startKeyedLoop("nodeLifecycle", new NodeLifecycleReconciler(ctx, heartbeats, opts), { resyncMs: 3_600_000 });
    const off = view.onChange((c) => loop.offer(c));
    const after = async (ms: number) => {
      await new Promise((resolve) => setImmediate(resolve)); // the keys the changes so far queued start now, then time moves
      await vi.advanceTimersByTimeAsync(ms);
      await loop.idle();
    };
    const stop = async () => { off(); await loop.stop(); };
    const conditions = () => sender.ofType("SetNodeCondition").map((s) => `${s.ref.name}:${(s.command.data as { status: string }).status}`);
    return { view, sender, heartbeats, after, stop, conditions };
  }

  it("looks at a node only when its lease or object changed or its deadline came, and handles every deadline", async () => {
    const { view, sender, heartbeats, after, stop, conditions } = started(["a", "b", "c"]);
    view.put("pods", pod("p", { nodeName: "b" }));
    await after(0);
    expect(["a", "b", "c"].map((n) => heartbeats.looks(n))).toEqual([1, 1, 1]); // the term's first look: a baseline each
    for (let t = 10_000; t <= 60_000; t += 10_000) {
      await after(10_000);
      heartbeats.beat("a");
      await after(0);
    }
    // a: six beats, six looks; b and c: their grace period ran out at 40 s (one look each), then their own change.
    expect(conditions()).toEqual(["b:Unknown", "c:Unknown"]);
    expect(["a", "b", "c"].map((n) => heartbeats.looks(n))).toEqual([7, 3, 3]);
    // 340 s: b's pod reaches the eviction timeout (c has no pod: no deadline); a, silent since 60 s, went NotReady at 100 s.
    await after(280_000);
    expect(conditions()).toEqual(["b:Unknown", "c:Unknown", "a:Unknown"]);
    expect(sender.ofType("EvictPod").map((s) => s.ref.name)).toEqual(["p"]);
    expect(["a", "b", "c"].map((n) => heartbeats.looks(n))).toEqual([9, 4, 3]);
    await after(600_000); // nothing is due on a (no pod), nothing changes, nothing is looked at
    expect(["a", "b", "c"].map((n) => heartbeats.looks(n))).toEqual([9, 4, 3]);
    expect(sender.sent).toHaveLength(4);
    await stop();
  });

  it("evicts a pod that turns up on a node whose pods are being evicted, until the node beats again", async () => {
    const { view, sender, heartbeats, after, stop, conditions } = started(["a"]);
    await after(340_000);
    view.put("pods", pod("late", { nodeName: "a" }));
    await after(0);
    expect(sender.ofType("EvictPod").map((s) => s.ref.name)).toEqual(["late"]);
    heartbeats.beat("a");
    await after(0);
    expect(conditions()).toEqual(["a:Unknown", "a:True"]);
    view.put("pods", pod("welcome", { nodeName: "a" }));
    await after(0);
    expect(sender.ofType("EvictPod").map((s) => s.ref.name)).toEqual(["late"]);
    await stop();
  });

  it("compares a heartbeat with the node's Ready status as its last change showed it, without reading the node again", async () => {
    const { view, sender, heartbeats, after, stop, conditions } = started(["a"]);
    view.put("nodes", node("a", { ready: "Unknown" }));
    await after(0);
    const reads = vi.spyOn(view, "get");
    // The fake actor reads the node once per command it applies; the reconciler itself reads it never.
    const ownReads = () => reads.mock.calls.length - sender.sent.length;
    for (let t = 1; t <= 3; t++) {
      await after(1_000);
      heartbeats.beat("a");
      await after(0);
    }
    expect(conditions()).toEqual(["a:True"]); // then Ready, as the change of the node (the actor's reply) said
    expect(ownReads()).toBe(0);
    view.put("nodes", node("a", { ready: "Unknown" })); // someone else said Unknown: the next beat sets True again
    heartbeats.beat("a");
    await after(0);
    expect(conditions()).toEqual(["a:True", "a:True"]);
    expect(ownReads()).toBe(0);
    await stop();
  });
});
