import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { MemoryView, RecordingSender } from "../../test/harness/memoryView.js";
import { MemoryHeartbeats } from "../../test/harness/memoryHeartbeats.js";
import { actorsOn, node, pod, rc } from "../../test/harness/controllerObjects.js";
import type { Pod } from "../api/pod.js";
import type { ViewEntry } from "../projections/clusterView.js";
import { ControllerInformers } from "./informers.js";
import { startTerm } from "./term.js";
import type { ReplicaSet } from "./replicaSet/kind.js";

const replicaSet = (name: string, app: string): ReplicaSet => ({
  kind: "ReplicaSet", metadata: { name, namespace: "default", uid: `uid-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { replicas: 2, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: pod("x").spec } }, status: {},
});

describe("the controllers' informers", () => {
  it("file each change of the view before passing it on, leading or not, until stopped", () => {
    const view = new MemoryView();
    view.put("nodes", node("a"));
    const informers = new ControllerInformers(view);
    const seen: (string | undefined)[] = [];
    informers.onChange((c) => seen.push(informers.scheduler.index.pendingPod(`${c.namespace}/${c.name}`)?.name));
    view.put("pods", pod("p"));
    expect(seen).toEqual(["p"]);
    informers.stop();
    view.put("pods", pod("q"));
    expect(seen).toEqual(["p"]);
    expect(informers.scheduler.index.pendingKeys()).toEqual(["default/p"]);
  });

  it("count the pods of RCs and of ReplicaSets from one index of pods, built once and fed each pod change once", () => {
    const view = new MemoryView();
    view.put("replicationcontrollers", rc("web", { replicas: 2 }));
    view.put("pods", pod("web-1", { labels: { app: "web" } }));
    const informers = new ControllerInformers(view);
    view.put("replicasets", replicaSet("api", "api"));
    view.put("pods", pod("web-2", { labels: { app: "web" } }));
    view.put("pods", pod("api-1", { labels: { app: "api" } }));
    const [rcs, sets] = [informers.replication.index, informers.replicaSets.index];
    expect(rcs.pods).toBe(sets.pods);
    const filings = vi.spyOn(rcs.pods, "apply");
    view.put("pods", pod("web-3", { labels: { app: "web" } }));
    expect(filings).toHaveBeenCalledTimes(1);
    expect([...rcs.pods.all()].map((e) => e.name).sort()).toEqual(["api-1", "web-1", "web-2", "web-3"]);
    expect(rcs.countsOf(rcs.owners.get("default", "web") as ViewEntry<never>).active).toBe(3);
    expect(sets.countsOf(sets.owners.get("default", "api") as ViewEntry<ReplicaSet>).active).toBe(1);
    view.remove("pods", "default", "web-1");
    expect(rcs.countsOf(rcs.owners.get("default", "web") as ViewEntry<never>).active).toBe(2);
    informers.stop();
  });

  it("answer a controller handed a change after a change it caused with that change's own filing, not a second one", async () => {
    const view = new MemoryView();
    view.put("nodes", node("a"));
    view.put("replicationcontrollers", rc("web", { replicas: 1 }));
    view.put("pods", pod("web-a", { labels: { app: "web" }, nodeName: "a", phase: "Running" }));
    const informers = new ControllerInformers(view);
    const sender = new RecordingSender(actorsOn(view));
    // A sender that deletes the surplus pod while the pod's creation is still being handed out (synchronously, as the
    // replication controller's sync did when a queue started its key at once; the sender changes the view at once):
    // handed on ahead of the term's loops, so the scheduler gets the creation after the deletion, and must not file
    // the pod as pending again.
    let deleted = false;
    informers.onChange((change) => {
      if (deleted || change.resource !== "pods" || change.name !== "web-b" || !change.entry) return;
      deleted = true;
      void sender.send({ resource: "pods", namespace: "default", name: "web-b" }, { type: "DeletePod", data: {} });
    });
    const term = startTerm({ view, sender, heartbeats: new MemoryHeartbeats(), stillLeading: () => true, logger: pino({ level: "silent" }), informers }, 1);
    await vi.waitFor(() => expect(sender.ofType("RecordReplicationStatus")).toHaveLength(1));
    view.put("pods", pod("web-b", { labels: { app: "web" } }));
    expect(sender.ofType("DeletePod").map((s) => s.ref.name)).toEqual(["web-b"]); // all of it happened within the put
    expect(informers.scheduler.index.pendingPod("default/web-b")).toBeUndefined();
    expect((informers.replication.index.pods.get("default", "web-b")?.object as Pod).metadata.deletionTimestamp).toBeDefined();
    await term.stop();
    informers.stop();
  });
});
