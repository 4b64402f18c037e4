import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender } from "../../../test/harness/memoryView.js";
import { PV_PROTECTION, PVC_PROTECTION } from "./decide.js";
import { StorageProtectionReconciler } from "./reconciler.js";

const AT = "2026-12-07T10:00:00Z";
const claim = (deletionTimestamp?: string) => ({
  kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "default", uid: "c", labels: { app: "db" }, finalizers: [PVC_PROTECTION], ...(deletionTimestamp ? { deletionTimestamp } : {}) },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } }, status: { phase: "Bound" },
});
const pod = (name: string, phase = "Running") => ({
  kind: "Pod", metadata: { name, namespace: "default", uid: name },
  spec: { nodeName: "n1", containers: [], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] }, status: { phase },
});

function setUp() {
  const view = new MemoryView();
  const sender = new RecordingSender();
  const controller = new StorageProtectionReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) });
  const queued: string[] = [];
  view.onChange((change) => queued.push(...controller.keysOf(change)));
  return { view, sender, controller, queued };
}

describe("the storage protection controller", () => {
  it("holds a claim being deleted while a pod uses it, and releases it (its fields and other metadata as they are) once the pod has ended", async () => {
    const { view, sender, controller, queued } = setUp();
    view.put("pods", pod("db-0"));
    view.put("persistentvolumeclaims", claim());
    expect(queued).toEqual(["claim/default/data"]);
    await controller.sync("claim/default/data");
    const deleted = view.put("persistentvolumeclaims", claim(AT));
    await controller.sync("claim/default/data");
    expect(sender.sent).toHaveLength(0);
    // A pod's change in the namespace brings the held claim back.
    queued.length = 0;
    view.put("pods", pod("db-0", "Succeeded"));
    expect(queued).toEqual(["claim/default/data"]);
    await controller.sync("claim/default/data");
    expect(sender.ofType("UpdatePersistentVolumeClaim")[0]?.command).toMatchObject({
      expectedVersion: deleted.version,
      data: { metadata: { name: "data", namespace: "default", labels: { app: "db" }, finalizers: [] }, spec: claim().spec },
    });
    expect(sender.ofType("UpdatePersistentVolumeClaim")[0]?.command.data).not.toHaveProperty("status");
    // Once it is gone, a pod's change queues nothing.
    view.remove("persistentvolumeclaims", "default", "data");
    queued.length = 0;
    view.put("pods", pod("db-1"));
    expect(queued).toEqual([]);
  });

  it("releases a volume being deleted once it is not Bound; finds what is held on its first pass", async () => {
    const { view, sender, controller } = setUp();
    const volume = (phase: string) => ({ kind: "PersistentVolume", metadata: { name: "pv1", uid: "v", deletionTimestamp: AT, finalizers: [PV_PROTECTION] }, spec: { capacity: { storage: "1Gi" } }, status: { phase } });
    view.put("persistentvolumes", volume("Bound"));
    view.put("persistentvolumeclaims", claim(AT));
    expect(controller.allKeys().sort()).toEqual(["claim/default/data", "volume/pv1"]);
    await controller.sync("volume/pv1");
    expect(sender.sent).toHaveLength(0);
    view.put("persistentvolumes", volume("Released"));
    await controller.sync("volume/pv1");
    expect(sender.ofType("UpdatePersistentVolume")[0]?.command.data).toEqual({ metadata: { name: "pv1", finalizers: [] }, spec: { capacity: { storage: "1Gi" } } });
  });
});
