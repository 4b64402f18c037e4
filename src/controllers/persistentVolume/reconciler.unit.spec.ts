import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, okReply, RecordingSender, refusedReply } from "../../../test/harness/memoryView.js";
import type { EntityRef } from "../../api/kinds.js";
import type { OutgoingCommand } from "../../actors/kindCommands.js";
import type { CommandReply } from "../../api/reply.js";
import { PersistentVolumeReconciler } from "./reconciler.js";

const claim = (name: string) => ({
  kind: "PersistentVolumeClaim", metadata: { name, namespace: "default", uid: `c-${name}` },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "", volumeMode: "Filesystem" }, status: { phase: "Pending" },
});
const volume = (name: string) => ({
  kind: "PersistentVolume", metadata: { name, uid: `v-${name}` },
  spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: `/srv/${name}` }, persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem" },
  status: { phase: "Available" },
});

function setUp(respond: (ref: EntityRef, command: OutgoingCommand) => CommandReply = () => okReply()) {
  const view = new MemoryView();
  const sender = new RecordingSender(respond);
  const controller = new PersistentVolumeReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) });
  const queued: string[] = [];
  view.onChange((change) => queued.push(...controller.keysOf(change)));
  return { view, sender, controller, queued };
}

describe("the persistent volume controller", () => {
  it("claims a free volume for a waiting claim at the volume's version, marking it claimed by the controller", async () => {
    const { view, sender, controller, queued } = setUp();
    const v = view.put("persistentvolumes", volume("pv1"));
    view.put("persistentvolumeclaims", claim("a"));
    expect(queued).toEqual(["volume/pv1", "claim/default/a"]);
    await controller.sync("claim/default/a");
    expect(sender.ofType("UpdatePersistentVolume")[0]?.command).toMatchObject({
      expectedVersion: v.version,
      data: { metadata: { name: "pv1", annotations: { "pv.kubernetes.io/bound-by-controller": "yes" } }, spec: { claimRef: { namespace: "default", name: "a", uid: "c-a" } } },
    });
  });

  it("tries a claim again (throws) when its volume was claimed by another first, and takes a refusal of its own object's write as settled", async () => {
    const { view, controller } = setUp((ref) => (ref.resource === "persistentvolumes" ? refusedReply("Conflict") : refusedReply("Conflict")));
    view.put("persistentvolumes", volume("pv1"));
    view.put("persistentvolumeclaims", claim("b"));
    await expect(controller.sync("claim/default/b")).rejects.toThrow(/UpdatePersistentVolume: Conflict/);
    // A claim without a class gets the default's name: a Conflict on the claim itself comes back with its change.
    view.put("storageclasses", { kind: "StorageClass", metadata: { name: "standard", uid: "sc", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "coxswain.io/host-path" });
    const { storageClassName: _none, ...spec } = claim("c").spec;
    view.put("persistentvolumeclaims", { ...claim("c"), spec });
    await expect(controller.sync("claim/default/c")).resolves.toBeUndefined();
  });

  it("queues a volume's claim and, once it is free, the claims still waiting; a claim's change queues the volumes claimed for it", () => {
    const { view, queued } = setUp();
    view.put("persistentvolumeclaims", claim("a"));
    view.put("persistentvolumeclaims", { ...claim("bound"), status: { phase: "Bound" } });
    queued.length = 0;
    view.put("persistentvolumes", volume("pv1"));
    expect(queued).toEqual(["volume/pv1", "claim/default/a"]);
    queued.length = 0;
    view.put("persistentvolumes", { ...volume("pv1"), spec: { ...volume("pv1").spec, claimRef: { namespace: "default", name: "a", uid: "c-a" } } });
    expect(queued).toEqual(["volume/pv1", "claim/default/a"]);
    queued.length = 0;
    view.remove("persistentvolumeclaims", "default", "a");
    expect(queued).toEqual(["claim/default/a", "volume/pv1"]);
    queued.length = 0;
    view.put("pods", { kind: "Pod", metadata: { name: "p", namespace: "default", uid: "p" }, spec: { containers: [] }, status: {} });
    expect(queued).toEqual([]);
  });
});
