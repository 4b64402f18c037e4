import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, okReply, RecordingSender } from "../../../test/harness/memoryView.js";
import { pod } from "../../../test/harness/controllerObjects.js";
import type { Resource } from "../../api/kinds.js";
import type { OwnerReference } from "../../api/objectMeta.js";
import type { ControllerContext } from "../context.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { GarbageCollector } from "./reconciler.js";

/** A view that counts the lists made of it once the test says so. */
class CountingView extends MemoryView {
  lists = 0;
  override list<T = Record<string, unknown>>(resource: Resource, namespace?: string) {
    this.lists++;
    return super.list<T>(resource, namespace);
  }
}

const owner = (kind: string, name: string, uid = `uid-${name}`): OwnerReference => ({ apiVersion: "apps/v1", kind, name, uid, controller: true });
const object = (kind: string, name: string, uid: string, owners: OwnerReference[] = []) =>
  ({ kind, metadata: { name, namespace: "default", uid, ...(owners.length ? { ownerReferences: owners } : {}) } });
const ownedPod = (name: string, owners: OwnerReference[]) => {
  const p = pod(name);
  return { ...p, metadata: { ...p.metadata, ownerReferences: owners } };
};

function started() {
  const view = new CountingView();
  view.put("deployments", object("Deployment", "web", "uid-web"));
  view.put("deployments", object("Deployment", "api", "uid-api"));
  view.put("replicasets", object("ReplicaSet", "web-1", "uid-web-1", [owner("Deployment", "web")]));
  view.put("replicasets", object("ReplicaSet", "web-2", "uid-web-2", [owner("Deployment", "web")]));
  view.put("replicasets", object("ReplicaSet", "api-1", "uid-api-1", [owner("Deployment", "api")]));
  for (const name of ["web-1-a", "web-1-b"]) view.put("pods", ownedPod(name, [owner("ReplicaSet", "web-1")]));
  view.put("pods", ownedPod("api-1-a", [owner("ReplicaSet", "api-1")]));
  view.put("pods", pod("solo"));
  view.put("pods", ownedPod("rc-pod", [owner("ReplicationController", "gone-rc")])); // a kind the collector does not follow
  // The actors' part: a delete removes the object from the view.
  const sender = new RecordingSender((ref) => {
    view.remove(ref.resource, ref.namespace, ref.name);
    return okReply(view.appliedSequence);
  });
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  // A resync far beyond the test: whatever is deleted, a change of the view asked for it.
  const loop = startKeyedLoop("garbageCollector", new GarbageCollector(ctx), { resyncMs: 3_600_000 });
  const off = view.onChange((c) => loop.offer(c));
  const settled = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await loop.idle();
  };
  const deleted = () => sender.sent.map((s) => `${s.command.type} ${s.ref.name}`);
  const stop = async () => { off(); await loop.stop(); };
  return { view, sender, settled, deleted, stop };
}

describe("the garbage collector on its work queue", () => {
  it("deletes the dependents of a deleted owner, and their own, and leaves those of a live owner, on the view's changes alone", async () => {
    const { view, settled, deleted, stop } = started();
    await settled();
    expect(deleted()).toEqual([]);
    view.lists = 0;
    view.put("pods", { ...ownedPod("api-1-a", [owner("ReplicaSet", "api-1")]), status: { phase: "Running" } }); // a live owner's pod changes
    view.remove("deployments", "default", "web");
    await settled();
    expect(deleted().sort()).toEqual(["DeletePod web-1-a", "DeletePod web-1-b", "DeleteReplicaSet web-1", "DeleteReplicaSet web-2"]);
    expect(view.list("pods").map((p) => p.name).sort()).toEqual(["api-1-a", "rc-pod", "solo"]);
    expect(view.lists).toBe(1); // the line above: the collector itself listed nothing
    await stop();
  });

  it("collects a dependent that turns up with its owners gone, and those of an owner recreated under its name", async () => {
    const { view, sender, settled, deleted, stop } = started();
    await settled();
    view.lists = 0;
    view.put("pods", ownedPod("late", [owner("ReplicaSet", "web-1", "uid-web-1-before")]));
    view.put("pods", ownedPod("both", [owner("ReplicaSet", "web-1"), owner("ReplicaSet", "gone", "uid-gone")])); // one owner left: kept
    await settled();
    expect(deleted()).toEqual(["DeletePod late"]);
    sender.clear();
    view.put("deployments", object("Deployment", "api", "uid-api-again"));
    await settled();
    expect(deleted()).toEqual(["DeleteReplicaSet api-1", "DeletePod api-1-a"]);
    expect(view.lists).toBe(0);
    await stop();
  });

  it("deletes a StatefulSet's claims with it (whenDeleted: Delete makes it their owner), and leaves claims it does not own", async () => {
    const { view, settled, deleted, stop } = started();
    view.put("statefulsets", object("StatefulSet", "db", "uid-db"));
    view.put("persistentvolumeclaims", object("PersistentVolumeClaim", "data-db-0", "uid-c0", [owner("StatefulSet", "db", "uid-db")]));
    view.put("persistentvolumeclaims", object("PersistentVolumeClaim", "kept", "uid-kept"));
    await settled();
    expect(deleted()).toEqual([]);
    view.remove("statefulsets", "default", "db");
    await settled();
    expect(deleted()).toEqual(["DeletePersistentVolumeClaim data-db-0"]);
    expect(view.list("persistentvolumeclaims").map((c) => c.name)).toEqual(["kept"]);
    await stop();
  });
});
