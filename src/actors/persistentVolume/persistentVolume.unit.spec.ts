import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { persistentVolumeKind } from "./index.js";

const decider = persistentVolumeKind.decider;
const command = commandOf(decider, meta({ namespace: "_", name: "pv-1", uid: "u-pv", time: "2026-12-08T00:00:00Z" }));
const spec = (more: Record<string, unknown> = {}) => ({ capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/data/pv-1" }, ...more });
const manifest = (more: Record<string, unknown> = {}) => ({ metadata: { name: "pv-1" }, spec: spec(more) });
type Created = { type: string; data: { object: Record<string, unknown> } };

describe("the PersistentVolume actor", () => {
  const history = given(decider).when(command("CreatePersistentVolume", manifest() as never)).then(() => undefined);
  const update = (more: Record<string, unknown>) => given(decider, history).when(command("UpdatePersistentVolume", manifest(more) as never));

  it("stores Kubernetes' defaults (Retain, Filesystem) and the protection finalizer (kubernetes.io/pv-protection), Pending, and no generation", () => {
    expect((history as unknown as Created[])[0]?.data.object).toEqual({
      kind: "PersistentVolume", spec: { ...spec(), persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem" },
      metadata: { name: "pv-1", uid: "u-pv", creationTimestamp: "2026-12-08T00:00:00Z", finalizers: ["kubernetes.io/pv-protection"] }, status: { phase: "Pending" },
    });
  });

  it("refuses a change of the volume source (and of the volume mode); lets the claimRef, capacity, policy and class change, keeping the status", () => {
    update({ hostPath: { path: "/elsewhere" } }).thenThrows("Invalid", /data\.spec\.persistentvolumesource: Forbidden: spec\.persistentvolumesource is immutable after creation$/);
    update({ hostPath: undefined, nfs: { server: "nfs.example", path: "/x" } }).thenThrows("Invalid", /spec\.persistentvolumesource is immutable after creation/);
    update({ volumeMode: "Block" }).thenThrows("Invalid", /data\.spec\.volumeMode: Invalid value: field is immutable/);
    update({ persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem" }).thenNothingHappened();
    const bound = { claimRef: { namespace: "default", name: "data" }, capacity: { storage: "2Gi" }, persistentVolumeReclaimPolicy: "Delete", storageClassName: "standard" };
    const events = update(bound).then((e) => expect(e.map((x) => x.type)).toEqual(["PersistentVolumeUpdated"]));
    const after = given(decider, [...history, ...events]).state.object;
    expect(after?.spec).toMatchObject(bound);
    expect(after?.status).toEqual({ phase: "Pending" });
  });

  it("takes its status whole from controllers only (RecordPersistentVolumeStatus), recording nothing when unchanged", () => {
    expect(decider.commands.RecordPersistentVolumeStatus.senders).toEqual(["controller"]);
    expect(Object.keys(decider.commands)).not.toContain("ScalePersistentVolume");
    const recorded = given(decider, history).when(command("RecordPersistentVolumeStatus", { phase: "Available" } as never))
      .then([{ type: "PersistentVolumeStatusRecorded", data: { phase: "Available" } }]);
    expect(given(decider, [...history, ...recorded]).state.object?.status).toEqual({ phase: "Available" });
    given(decider, history).when(command("RecordPersistentVolumeStatus", { phase: "Pending" } as never)).thenNothingHappened();
    expect(decider.commands.RecordPersistentVolumeStatus.schema.safeParse({ phase: "Lost" }).success).toBe(false);
  });
});
