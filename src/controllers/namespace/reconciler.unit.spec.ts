import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { CLUSTER_NS } from "../../api/kinds.js";
import type { Namespace } from "../../api/namespace.js";
import { MemoryView, RecordingSender, refusedReply, okReply } from "../../../test/harness/memoryView.js";
import { pod, podTemplate, rc } from "../../../test/harness/controllerObjects.js";
import type { ControllerContext } from "../context.js";
import { deleteCommandId, finalizeCommandId, NAMESPACED_CONTENT, planNamespaceDeletion } from "./plan.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { NamespaceReconciler } from "./reconciler.js";

const namespace = (name: string, phase: "Active" | "Terminating"): Namespace => ({
  kind: "Namespace", metadata: { name, uid: `uid-ns-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" }, spec: {}, status: { phase },
});
const none = { replicationcontrollers: [], pods: [], podtemplates: [], resourcequotas: [] };
const obj = (name: string, deleting = false) => ({ name, metadata: { uid: `uid-${name}`, ...(deleting ? { deletionTimestamp: "t" } : {}) } });

/** A sender that removes what it deletes from the view, as the actors and the projection would. */
function removing(view: MemoryView) {
  return new RecordingSender((ref, command) => {
    if (command.type.startsWith("Delete") || command.type === "FinalizeNamespace") view.remove(ref.resource, ref.namespace, ref.name);
    return okReply(view.appliedSequence);
  });
}

function setup(view = new MemoryView(), sender = removing(view)) {
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  const reconciler = new NamespaceReconciler(ctx);
  /** A resync's worth: every namespace synced once, in turn (a refused step throws, for the work queue to retry). */
  const round = async () => {
    for (const key of reconciler.allKeys()) await reconciler.sync(key).catch(() => undefined);
  };
  return { view, sender, reconciler, round };
}

describe("the namespace controller's plan", () => {
  const ns = namespace("team", "Terminating");

  it("deletes every namespaced kind with a delete command but Events, which go with their namespace in the read model", () => {
    const kinds = NAMESPACED_CONTENT.map(([r]) => r);
    expect(kinds).toEqual(expect.arrayContaining(["pods", "configmaps", "limitranges", "persistentvolumeclaims"]));
    expect(kinds).not.toContain("events");
  });

  it("deletes the replication controllers first, alone, with ids from the namespace and object uids", () => {
    const plan = planNamespaceDeletion(ns, { ...none, replicationcontrollers: [obj("web")], pods: [obj("web-1")] });
    expect(plan).toEqual([{
      ref: { resource: "replicationcontrollers", namespace: "team", name: "web" },
      command: { type: "DeleteReplicationController", id: deleteCommandId("uid-ns-team", "uid-web"), data: {} },
    }]);
  });

  it("goes on with the rest beside a controller of pods that its finalizers hold (Terminating, it makes nothing more)", () => {
    const plan = planNamespaceDeletion(ns, { ...none, deployments: [obj("web", true)], pods: [obj("web-1")], configmaps: [obj("c")] });
    expect(plan.map((p) => `${p.ref.resource}/${p.ref.name}`).sort()).toEqual(["configmaps/c", "pods/web-1"]);
    expect(planNamespaceDeletion(ns, { ...none, deployments: [obj("web", true), obj("api")], pods: [obj("web-1")] }).map((p) => p.ref.name)).toEqual(["api"]);
  });

  it("then deletes pods (not those already terminating), templates and quotas, and finalizes an empty namespace", () => {
    const plan = planNamespaceDeletion(ns, { ...none, pods: [obj("a"), obj("b", true)], podtemplates: [obj("t")], resourcequotas: [obj("q")] });
    expect(plan.map((p) => [p.command.type, p.ref.name])).toEqual([["DeletePod", "a"], ["DeletePodTemplate", "t"], ["DeleteResourceQuota", "q"]]);
    expect(planNamespaceDeletion(ns, { ...none, pods: [obj("b", true)] })).toEqual([]);
    expect(planNamespaceDeletion(ns, none)).toEqual([{
      ref: { resource: "namespaces", namespace: "_", name: "team" }, command: { type: "FinalizeNamespace", id: finalizeCommandId("uid-ns-team"), data: {} },
    }]);
  });
});

describe("the namespace reconciler", () => {
  it("empties a Terminating namespace over rounds and finalizes it; Active namespaces and other namespaces are left alone", async () => {
    const { view, sender, round } = setup();
    view.put("namespaces", namespace("team", "Terminating"));
    view.put("namespaces", namespace("other", "Active"));
    view.put("replicationcontrollers", rc("web", { namespace: "team" }));
    view.put("pods", pod("web-1", { namespace: "team" }));
    view.put("podtemplates", podTemplate("tpl", {}, "team"));
    view.put("pods", pod("keep", { namespace: "other" }));
    await round();
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeleteReplicationController"]);
    await round();
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeleteReplicationController", "DeletePod", "DeletePodTemplate"]);
    await round();
    expect(sender.sent.at(-1)?.command).toMatchObject({ type: "FinalizeNamespace", id: finalizeCommandId("uid-ns-team") });
    expect(view.get("pods", "other", "keep")).toBeDefined();
    expect(sender.sent.every((s) => s.ref.namespace === "team" || s.ref.name === "team")).toBe(true);
  });

  it("keeps the namespace until a refused delete succeeds (level-triggered, same ids)", async () => {
    const view = new MemoryView();
    let refuse = true;
    const sender = new RecordingSender((ref, command) => {
      if (refuse) return refusedReply("Unavailable", 503);
      if (command.type.startsWith("Delete")) view.remove(ref.resource, ref.namespace, ref.name);
      return okReply();
    });
    const { round } = setup(view, sender);
    view.put("namespaces", namespace("team", "Terminating"));
    view.put("pods", pod("a", { namespace: "team" }));
    await round();
    refuse = false;
    await round();
    await round();
    expect(sender.sent.map((s) => [s.command.type, s.command.id])).toEqual([
      ["DeletePod", deleteCommandId("uid-ns-team", "uid-a")], ["DeletePod", deleteCommandId("uid-ns-team", "uid-a")],
      ["FinalizeNamespace", finalizeCommandId("uid-ns-team")],
    ]);
  });

  it("works on the namespace a change concerns: the namespace, or content of a Terminating one; an Active one's pods queue nothing", () => {
    const { view, reconciler } = setup();
    const keys: string[][] = [];
    view.onChange((change) => keys.push(reconciler.keysOf(change)));
    view.put("namespaces", namespace("busy", "Active"));
    view.put("pods", pod("web-1", { namespace: "busy" }));
    view.put("namespaces", namespace("team", "Terminating"));
    view.put("pods", pod("a", { namespace: "team" }));
    view.remove("pods", "team", "a");
    view.put("pods", { kind: "Pod", metadata: { name: "b", namespace: "team", deletionTimestamp: "2026-01-01T00:00:00Z" }, spec: {} });
    expect(keys).toEqual([["busy"], [], ["team"], ["team"], ["team"], []]);
  });

  it("on its work queue, empties a Terminating namespace and finalizes it on the view's changes alone", async () => {
    const { view, sender, reconciler } = setup();
    view.put("namespaces", namespace("team", "Active"));
    view.put("replicationcontrollers", rc("web", { namespace: "team" }));
    view.put("pods", pod("web-1", { namespace: "team" }));
    // A resync far beyond the test: every step after the first pass comes from a change of the view.
    const loop = startKeyedLoop("namespace", reconciler, { resyncMs: 3_600_000 });
    const off = view.onChange((change) => loop.offer(change));
    const settled = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await loop.idle();
    };
    await settled();
    expect(sender.sent).toEqual([]);
    view.put("namespaces", namespace("team", "Terminating"));
    for (let i = 0; i < 5 && view.get("namespaces", CLUSTER_NS, "team"); i++) await settled();
    off();
    await loop.stop();
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeleteReplicationController", "DeletePod", "FinalizeNamespace"]);
    expect(view.get("namespaces", CLUSTER_NS, "team")).toBeUndefined();
  });

  it("on its work queue, retries a refused step after a backoff, with no change of the view to poke it", async () => {
    const view = new MemoryView();
    let refusals = 1;
    const sender = new RecordingSender((ref, command) => {
      if (refusals-- > 0) return refusedReply("Unavailable", 503);
      if (command.type.startsWith("Delete") || command.type === "FinalizeNamespace") view.remove(ref.resource, ref.namespace, ref.name);
      return okReply(view.appliedSequence);
    });
    const { reconciler } = setup(view, sender);
    view.put("namespaces", namespace("team", "Terminating"));
    view.put("pods", pod("a", { namespace: "team" }));
    const loop = startKeyedLoop("namespace", reconciler, { resyncMs: 3_600_000 });
    const off = view.onChange((change) => loop.offer(change));
    try {
      await vi.waitFor(() => expect(view.get("namespaces", CLUSTER_NS, "team")).toBeUndefined(), { timeout: 5_000, interval: 5 });
    } finally {
      off();
      await loop.stop();
    }
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeletePod", "DeletePod", "FinalizeNamespace"]);
  });
});
