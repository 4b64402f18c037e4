import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { persistentVolumeClaimKind } from "./index.js";

const decider = persistentVolumeClaimKind.decider;
const command = commandOf(decider, meta({ namespace: "default", name: "data", uid: "u-pvc", time: "2026-12-08T00:00:00Z" }));
const spec = (more: Record<string, unknown> = {}) => ({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...more });
const manifest = (more: Record<string, unknown> = {}) => ({ metadata: { name: "data", namespace: "default" }, spec: spec(more) });
type Created = { type: string; data: { object: Record<string, unknown> } };
const IMMUTABLE = /data\.spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims$/;

describe("the PersistentVolumeClaim actor", () => {
  const history = given(decider).when(command("CreatePersistentVolumeClaim", manifest() as never)).then(() => undefined);
  const update = (more: Record<string, unknown>, past = history) => given(decider, past).when(command("UpdatePersistentVolumeClaim", manifest(more) as never));

  it("stores the volume mode's default (Filesystem) and the protection finalizer (kubernetes.io/pvc-protection), and starts Pending, without a generation", () => {
    expect((history as unknown as Created[])[0]?.data.object).toEqual({
      kind: "PersistentVolumeClaim", spec: { ...spec(), volumeMode: "Filesystem" },
      metadata: { name: "data", namespace: "default", uid: "u-pvc", creationTimestamp: "2026-12-08T00:00:00Z", finalizers: ["kubernetes.io/pvc-protection"] }, status: { phase: "Pending" },
    });
  });

  it("lets a bound claim's requests grow, and a volumeName or storageClassName be set where there was none; refuses the rest as the apiserver does", () => {
    update({ resources: { requests: { storage: "2Gi" } } }).thenThrows("Invalid", IMMUTABLE); // not yet bound
    update({ accessModes: ["ReadWriteMany"] }).thenThrows("Invalid", IMMUTABLE);
    update({ resources: { requests: { storage: "1Gi" }, limits: { storage: "5Gi" } } }).thenThrows("Invalid", IMMUTABLE);
    update({ selector: { matchLabels: { tier: "gold" } } }).thenThrows("Invalid", IMMUTABLE);
    const bound = update({ storageClassName: "standard", volumeName: "pv-1" }).then((e) => expect(e).toHaveLength(1));
    const past = [...history, ...bound];
    update({ storageClassName: "standard", volumeName: "pv-2" }, past).thenThrows("Invalid", IMMUTABLE);
    update({ storageClassName: "other", volumeName: "pv-1" }, past).thenThrows("Invalid", IMMUTABLE);
    update({ storageClassName: "standard", volumeName: "pv-1", resources: { requests: { storage: "3Gi" } } }, past).then((e) => expect(e).toHaveLength(1));
    update({ storageClassName: "standard", volumeName: "pv-1", resources: { requests: { storage: "500Mi" } } }, past)
      .thenThrows("Invalid", /data\.spec\.resources\.requests\.storage: Forbidden: field can not be less than previous value$/);
  });

  it("takes its status whole from controllers only (RecordPersistentVolumeClaimStatus)", () => {
    expect(decider.commands.RecordPersistentVolumeClaimStatus.senders).toEqual(["controller"]);
    expect(Object.keys(decider.commands)).not.toContain("ScalePersistentVolumeClaim");
    const status = { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "1Gi" } };
    const recorded = given(decider, history).when(command("RecordPersistentVolumeClaimStatus", status as never))
      .then([{ type: "PersistentVolumeClaimStatusRecorded", data: status }]);
    expect(given(decider, [...history, ...recorded]).state.object?.status).toEqual(status);
    expect(decider.commands.RecordPersistentVolumeClaimStatus.schema.safeParse({ phase: "Available" }).success).toBe(false);
  });
});
