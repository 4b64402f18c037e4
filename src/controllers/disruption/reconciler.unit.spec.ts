import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import { pod, rc } from "../../../test/harness/controllerObjects.js";
import type { Pod } from "../../api/pod.js";
import type { PodDisruptionBudget } from "../../api/podDisruptionBudget.js";
import { DisruptionReconciler } from "./reconciler.js";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const pdb = (name: string, spec: PodDisruptionBudget["spec"], namespace = "default"): PodDisruptionBudget => ({
  kind: "PodDisruptionBudget", metadata: { name, namespace, uid: `uid-${name}`, generation: 1, creationTimestamp: "2026-12-07T09:00:00Z" }, spec,
});
const ownedBy = (p: Pod, kind: string, name: string): Pod => ({ ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: "apps/v1", kind, name, uid: `uid-${name}`, controller: true }] } });
const object = (kind: string, name: string, replicas: number, owner?: string) => ({
  kind, metadata: { name, namespace: "default", uid: `uid-${name}`, ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: owner, uid: `uid-${owner}`, controller: true }] } : {}) },
  spec: { replicas },
});

function setUp() {
  const view = new MemoryView();
  const sender = new RecordingSender();
  const controller = new DisruptionReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) }, () => NOW);
  const queued: string[] = [];
  view.onChange((change) => queued.push(...controller.keysOf(change)));
  return { view, sender, controller, queued };
}

describe("the disruption controller", () => {
  it("looks at a budget when it changes, when a pod it selects (now or at its last change) changes, and at every budget of a namespace when a scaled controller does; elsewhere at none", () => {
    const { view, queued } = setUp();
    view.put("pods", pod("a", { labels: { app: "web" } }));
    view.put("replicationcontrollers", rc("web"));
    expect(queued).toEqual([]);
    view.put("poddisruptionbudgets", pdb("web", { minAvailable: 1, selector: { matchLabels: { app: "web" } } }));
    view.put("pods", pod("b", { labels: { app: "other" } }));
    view.put("replicationcontrollers", rc("web"));
    view.put("pods", pod("c", { namespace: "elsewhere", labels: { app: "web" } }));
    view.put("pods", pod("d", { labels: { app: "web" } }));
    view.put("pods", pod("d", { labels: { app: "other" } })); // relabelled away: its budget still looks
    view.put("pods", pod("d", { labels: { app: "none" } }));
    view.put("nodes", { kind: "Node", metadata: { name: "n1", uid: "u" }, spec: {}, status: {} } as never);
    expect(queued).toEqual(["default/web", "default/web", "default/web", "default/web"]);
    view.remove("poddisruptionbudgets", "default", "web");
    queued.length = 0;
    view.put("pods", pod("e", { labels: { app: "web" } }));
    expect(queued).toEqual([]);
  });

  it("knows the pods a budget made after them selects once it looked at the budget, and looks at it when they leave", async () => {
    const { view, controller, queued } = setUp();
    view.put("pods", pod("a", { labels: { app: "web" } }));
    view.put("poddisruptionbudgets", pdb("web", { minAvailable: 1, selector: { matchLabels: { app: "web" } } }));
    await controller.sync("default/web");
    queued.length = 0;
    view.put("pods", pod("a", { labels: { app: "gone" } }));
    expect(queued).toEqual(["default/web"]);
  });

  it("waits for the view to show its own last write before it writes again", async () => {
    const { view, sender, controller } = setUp();
    sender.respond = () => ({ ...okReply(), version: 7 });
    view.put("pods", pod("a", { nodeName: "n1", ready: true, labels: { app: "web" } }));
    view.put("poddisruptionbudgets", pdb("web", { minAvailable: 0, selector: { matchLabels: { app: "web" } } }));
    await controller.sync("default/web");
    view.put("pods", pod("b", { nodeName: "n1", ready: true, labels: { app: "web" } }));
    await controller.sync("default/web");
    expect(sender.ofType("RecordPodDisruptionBudgetStatus")).toHaveLength(1);
  });

  it("writes the status at the budget's version, counting a Deployment's replicas for the pods of its ReplicaSet, and nothing when it is unchanged", async () => {
    const { view, sender, controller } = setUp();
    view.put("deployments", object("Deployment", "web", 5));
    view.put("replicasets", object("ReplicaSet", "web-abc", 3, "web"));
    for (const name of ["a", "b", "c"]) view.put("pods", ownedBy(pod(name, { nodeName: "n1", ready: true, labels: { app: "web" } }), "ReplicaSet", "web-abc"));
    const entry = view.put("poddisruptionbudgets", pdb("web", { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } }));
    await controller.sync("default/web");
    const [write] = sender.ofType("RecordPodDisruptionBudgetStatus");
    expect(write?.command.expectedVersion).toBe(entry.version);
    expect(write?.command.data).toMatchObject({ expectedPods: 5, desiredHealthy: 4, currentHealthy: 3, disruptionsAllowed: 0 });
    view.put("poddisruptionbudgets", { ...entry.object, status: write?.command.data } as PodDisruptionBudget);
    await controller.sync("default/web");
    expect(sender.ofType("RecordPodDisruptionBudgetStatus")).toHaveLength(1);
  });

  it("throws on a Conflict (an eviction took a disruption meanwhile), so the key is tried again", async () => {
    const { view, sender, controller } = setUp();
    view.put("pods", pod("a", { nodeName: "n1", ready: true, labels: { app: "web" } }));
    view.put("poddisruptionbudgets", pdb("web", { minAvailable: 0, selector: { matchLabels: { app: "web" } } }));
    sender.respond = () => refusedReply("Conflict");
    await expect(controller.sync("default/web")).rejects.toThrow(/Conflict/);
  });
});
