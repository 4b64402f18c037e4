import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, okReply } from "../../../test/harness/memoryView.js";
import { DaemonSetSpec } from "../../api/daemonSet.js";
import { ControlledPods } from "../controlledPods.js";
import { FiledIndex } from "../filedIndex.js";
import { daemonPodName, daemonSetHash } from "./decide.js";
import { REVISION_HASH_LABEL } from "../revisions.js";
import { DaemonSetReconciler } from "./reconciler.js";

const spec = DaemonSetSpec.parse({
  selector: { matchLabels: { app: "agent" } },
  template: { metadata: { labels: { app: "agent" }, annotations: { note: "x" } }, spec: { containers: [{ name: "c", image: "agent:1" }], nodeSelector: { role: "worker" } } },
});
const daemonSet = { kind: "DaemonSet", metadata: { name: "agent", namespace: "default", uid: "u-ds", generation: 3 }, spec, status: {} };
const node = (name: string, role = "worker") => ({ kind: "Node", metadata: { name, uid: `uid-${name}`, labels: { role } }, spec: {}, status: {} });

function setUp(replies: (ref: { resource: string }) => ReturnType<typeof okReply> = () => okReply(), wallTime = () => Date.parse("2026-12-07T10:00:00Z")) {
  const view = new MemoryView();
  const sender = new RecordingSender((ref) => replies(ref));
  const controller = new DaemonSetReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) }, new FiledIndex(new ControlledPods(["DaemonSet"], [])), wallTime);
  const queued: string[] = [];
  view.onChange((change) => queued.push(...controller.keysOf(change))); // as the keyed loop offers every change
  return { view, sender, controller, queued };
}

describe("the daemon set controller", () => {
  it("makes a pod bound to each node it belongs on, with the template, the daemon tolerations, its labels and a controller reference, and records the status", async () => {
    const { view, sender, controller } = setUp();
    view.putAt("nodes", "_", "w1", node("w1"));
    view.putAt("nodes", "_", "edge", node("edge", "edge"));
    view.put("daemonsets", daemonSet);
    await controller.sync("default/agent");
    const creates = sender.ofType("CreatePod");
    const hash = daemonSetHash(spec);
    expect(creates.map((c) => c.ref.name)).toEqual([daemonPodName({ name: "agent", uid: "u-ds" }, "w1", hash)]);
    expect(creates[0]?.command.data).toMatchObject({
      metadata: {
        labels: { app: "agent", [REVISION_HASH_LABEL]: hash, "pod-template-generation": "3" }, annotations: { note: "x" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u-ds", controller: true, blockOwnerDeletion: true }],
      },
      spec: { nodeName: "w1", nodeSelector: { role: "worker" }, tolerations: expect.arrayContaining([{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }]) },
    });
    expect(sender.ofType("RecordDaemonSetStatus")[0]?.command.data).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 0, observedGeneration: 3 });
    // The template's revision, for kubectl rollout history and undo.
    expect(sender.ofType("CreateControllerRevision").map((c) => [c.ref.name, c.command.data])).toEqual([[`agent-${hash}`, {
      metadata: { name: `agent-${hash}`, namespace: "default", labels: { app: "agent", "controller-revision-hash": hash }, ownerReferences: [expect.objectContaining({ kind: "DaemonSet", uid: "u-ds", controller: true })] },
      data: { spec: { template: { ...spec.template, $patch: "replace" } } }, revision: 1,
    }]]);
  });

  it("does not count a DaemonSet's pods again until the view shows the creates it sent", async () => {
    const { view, sender, controller } = setUp(() => okReply(100)); // the view has applied less than the creates' sequence
    view.putAt("nodes", "_", "w1", node("w1"));
    view.put("daemonsets", daemonSet);
    await controller.sync("default/agent");
    await controller.sync("default/agent");
    expect(sender.ofType("CreatePod")).toHaveLength(1);
  });

  it("works on the DaemonSet a change concerns: itself, a pod it controls (also when the pod goes), every DaemonSet on a node's change", () => {
    const { view, queued } = setUp();
    view.put("daemonsets", daemonSet);
    view.putAt("nodes", "_", "w2", node("w2"));
    view.putAt("nodes", "_", "w2", { ...node("w2"), status: { conditions: [{ type: "Ready", status: "True" }] } }); // its conditions only: nothing to place anew
    const owned = { kind: "Pod", metadata: { name: "agent-x", namespace: "default", uid: "p", ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u-ds", controller: true }] }, spec: { containers: [] }, status: { phase: "Running" } };
    view.put("pods", owned);
    view.put("pods", { ...owned, metadata: { ...owned.metadata, name: "loner", ownerReferences: [] } });
    view.remove("pods", "default", "agent-x");
    expect(queued).toEqual(["default/agent", "default/agent", "default/agent", "default/agent"]);
  });

  it("replaces a node's failed pods no faster than its back-off: at once, then after 1 s, then 2 s", async () => {
    let now = Date.parse("2026-12-07T10:00:00Z");
    const { view, sender, controller } = setUp(() => okReply(), () => now);
    view.putAt("nodes", "_", "w1", node("w1"));
    view.put("daemonsets", daemonSet);
    const fail = (name: string) => view.put("pods", {
      kind: "Pod", metadata: { name, namespace: "default", uid: `uid-${name}`, ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u-ds", controller: true }] },
      spec: { nodeName: "w1", containers: [] }, status: { phase: "Failed" },
    });
    const deletes = () => sender.ofType("DeletePod").map((c) => c.ref.name);
    fail("first");
    await controller.sync("default/agent");
    expect(deletes()).toEqual(["first"]);
    view.remove("pods", "default", "first");
    fail("second");
    now += 500;
    await controller.sync("default/agent");
    expect(deletes()).toEqual(["first"]); // within 1 s of the last: it waits
    now += 600;
    await controller.sync("default/agent");
    expect(deletes()).toEqual(["first", "second"]);
    view.remove("pods", "default", "second");
    fail("third");
    now += 1_500;
    await controller.sync("default/agent");
    expect(deletes()).toEqual(["first", "second"]); // the back-off doubled: 2 s
    now += 600;
    await controller.sync("default/agent");
    expect(deletes()).toEqual(["first", "second", "third"]);
  });

  it("drops a node's back-off once it lay unused for 30 min (a node or DaemonSet gone leaves none behind)", async () => {
    let now = Date.parse("2026-12-07T10:00:00Z");
    const { view, controller } = setUp(() => okReply(), () => now);
    view.putAt("nodes", "_", "w1", node("w1"));
    view.putAt("nodes", "_", "w2", node("w2"));
    view.put("daemonsets", daemonSet);
    const fail = (name: string, nodeName: string) => view.put("pods", {
      kind: "Pod", metadata: { name, namespace: "default", uid: `uid-${name}`, ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u-ds", controller: true }] },
      spec: { nodeName, containers: [] }, status: { phase: "Failed" },
    });
    fail("on-w1", "w1");
    await controller.sync("default/agent");
    expect(controller.heldBackOffs()).toBe(1);
    view.remove("pods", "default", "on-w1");
    view.remove("nodes", "_", "w1");
    now += 30 * 60_000;
    fail("on-w2", "w2");
    await controller.sync("default/agent");
    expect(controller.heldBackOffs()).toBe(1); // w2's; w1's went
  });

  it("throws on a refused create, so its work queue tries again after a backoff", async () => {
    const { view, controller } = setUp((ref) => (ref.resource === "pods" ? { ok: false, status: { code: 403, reason: "Forbidden", message: "exceeded quota" } } as never : okReply()));
    view.putAt("nodes", "_", "w1", node("w1"));
    view.put("daemonsets", daemonSet);
    await expect(controller.sync("default/agent")).rejects.toThrow(/CreatePod agent-\w+: exceeded quota/);
  });
});
