import { describe, expect, it } from "vitest";
import { MemoryView } from "../../test/harness/memoryView.js";
import { node, pod, rc } from "../../test/harness/controllerObjects.js";
import type { ViewEntry } from "../projections/clusterView.js";
import { ControllerInformers } from "./informers.js";
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
    expect([...rcs.pods.all()].map((e) => e.name).sort()).toEqual(["api-1", "web-1", "web-2"]);
    expect(rcs.countsOf(rcs.owners.get("default", "web") as ViewEntry<never>).active).toBe(2);
    expect(sets.countsOf(sets.owners.get("default", "api") as ViewEntry<ReplicaSet>).active).toBe(1);
    view.remove("pods", "default", "web-1");
    expect(rcs.countsOf(rcs.owners.get("default", "web") as ViewEntry<never>).active).toBe(1);
    informers.stop();
  });
});
