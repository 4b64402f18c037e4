import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Namespace } from "../../api/namespace.js";
import { MemoryView, RecordingSender, refusedReply, okReply } from "../../../test/harness/memoryView.js";
import { pod, podTemplate, rc } from "../../../test/harness/controllerObjects.js";
import type { ControllerContext } from "../context.js";
import { deleteCommandId, finalizeCommandId, planNamespaceDeletion } from "./plan.js";
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
  return { view, sender, reconciler: new NamespaceReconciler(ctx) };
}

describe("the namespace controller's plan", () => {
  const ns = namespace("team", "Terminating");

  it("deletes the replication controllers first, alone, with ids from the namespace and object uids", () => {
    const plan = planNamespaceDeletion(ns, { ...none, replicationcontrollers: [obj("web")], pods: [obj("web-1")] });
    expect(plan).toEqual([{
      ref: { resource: "replicationcontrollers", namespace: "team", name: "web" },
      command: { type: "DeleteReplicationController", id: deleteCommandId("uid-ns-team", "uid-web"), data: {} },
    }]);
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
    const { view, sender, reconciler } = setup();
    view.put("namespaces", namespace("team", "Terminating"));
    view.put("namespaces", namespace("other", "Active"));
    view.put("replicationcontrollers", rc("web", { namespace: "team" }));
    view.put("pods", pod("web-1", { namespace: "team" }));
    view.put("podtemplates", podTemplate("tpl", {}, "team"));
    view.put("pods", pod("keep", { namespace: "other" }));
    await reconciler.reconcile();
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeleteReplicationController"]);
    await reconciler.reconcile();
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeleteReplicationController", "DeletePod", "DeletePodTemplate"]);
    await reconciler.reconcile();
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
    const { reconciler } = setup(view, sender);
    view.put("namespaces", namespace("team", "Terminating"));
    view.put("pods", pod("a", { namespace: "team" }));
    await reconciler.reconcile();
    refuse = false;
    await reconciler.reconcile();
    await reconciler.reconcile();
    expect(sender.sent.map((s) => [s.command.type, s.command.id])).toEqual([
      ["DeletePod", deleteCommandId("uid-ns-team", "uid-a")], ["DeletePod", deleteCommandId("uid-ns-team", "uid-a")],
      ["FinalizeNamespace", finalizeCommandId("uid-ns-team")],
    ]);
  });
});
