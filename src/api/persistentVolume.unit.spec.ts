import { describe, expect, it } from "vitest";
import { COLUMNS } from "./columns.js";
import type { Column } from "./column.js";
import { accessModesString, persistentVolume } from "./persistentVolume.js";
import { persistentVolumeClaim } from "./persistentVolumeClaim.js";

const now = new Date("2026-12-08T00:05:00Z");
const row = (columns: readonly Column<never>[], o: unknown, wide = false) =>
  Object.fromEntries(columns.filter((c) => wide || c.priority === 0).map((c) => [c.name, (c as unknown as Column<unknown>).cell(o, now)]));
const meta = (name: string, more: Record<string, unknown> = {}) => ({ name, uid: "u", creationTimestamp: "2026-12-08T00:00:00Z", ...more });

describe("PersistentVolume and PersistentVolumeClaim columns", () => {
  it("abbreviates access modes as kubectl does: RWO,ROX,RWX,RWOP, each once, in that order", () => {
    expect(accessModesString(["ReadWriteOncePod", "ReadWriteMany", "ReadWriteOnce", "ReadOnlyMany", "ReadWriteOnce"])).toBe("RWO,ROX,RWX,RWOP");
    expect(accessModesString(["ReadOnlyMany"])).toBe("ROX");
    expect(accessModesString(undefined)).toBe("");
  });

  it("prints a volume's row as kube-apiserver does (claim as ns/name, <unset> without a VolumeAttributesClass; wide: VOLUMEMODE)", () => {
    const pv = {
      metadata: meta("pv-1"), status: { phase: "Bound" },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteMany", "ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", claimRef: { namespace: "default", name: "data" }, storageClassName: "standard", volumeMode: "Filesystem", hostPath: { path: "/d" } },
    };
    expect(COLUMNS.persistentvolumes.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0], ["Capacity", 0], ["Access Modes", 0], ["Reclaim Policy", 0], ["Status", 0], ["Claim", 0], ["StorageClass", 0], ["VolumeAttributesClass", 0], ["Reason", 0], ["Age", 0], ["VolumeMode", 1],
    ]);
    expect(row(COLUMNS.persistentvolumes, pv, true)).toEqual({
      Name: "pv-1", Capacity: "1Gi", "Access Modes": "RWO,RWX", "Reclaim Policy": "Retain", Status: "Bound", Claim: "default/data", StorageClass: "standard",
      VolumeAttributesClass: "<unset>", Reason: "", Age: "5m", VolumeMode: "Filesystem",
    });
    const free = { ...pv, metadata: meta("pv-2", { deletionTimestamp: "2026-12-08T00:04:00Z" }), spec: { ...pv.spec, claimRef: undefined, storageClassName: undefined, volumeAttributesClassName: "gold" } };
    expect(row(COLUMNS.persistentvolumes, free)).toMatchObject({ Status: "Terminating", Claim: "", StorageClass: "", VolumeAttributesClass: "gold" });
  });

  it("prints a claim's capacity and modes from its status once it names a volume, empty before", () => {
    expect(COLUMNS.persistentvolumeclaims.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0], ["Status", 0], ["Volume", 0], ["Capacity", 0], ["Access Modes", 0], ["StorageClass", 0], ["VolumeAttributesClass", 0], ["Age", 0], ["VolumeMode", 1],
    ]);
    const pending = { metadata: meta("data"), spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "standard", volumeMode: "Filesystem" }, status: { phase: "Pending" } };
    expect(row(COLUMNS.persistentvolumeclaims, pending, true)).toEqual({
      Name: "data", Status: "Pending", Volume: "", Capacity: "", "Access Modes": "", StorageClass: "standard", VolumeAttributesClass: "<unset>", Age: "5m", VolumeMode: "Filesystem",
    });
    const bound = { ...pending, spec: { ...pending.spec, volumeName: "pv-1" }, status: { phase: "Bound", accessModes: ["ReadWriteOnce", "ReadWriteOncePod"], capacity: { storage: "2Gi" } } };
    expect(row(COLUMNS.persistentvolumeclaims, bound)).toMatchObject({ Status: "Bound", Volume: "pv-1", Capacity: "2Gi", "Access Modes": "RWO,RWOP" });
  });
});

describe("PersistentVolume and PersistentVolumeClaim manifests", () => {
  const pvTarget = { namespace: "_", name: "pv-1" };
  const pv = (spec: Record<string, unknown>) => () => persistentVolume.codec.parseManifest("v1", { metadata: { name: "pv-1" }, spec }, pvTarget);
  const base = { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"] };

  it("takes one volume source of hostPath, local, nfs, csi; refuses none or two, in the apiserver's words", () => {
    for (const source of [{ hostPath: { path: "/d", type: "DirectoryOrCreate" } }, { local: { path: "/mnt/disk" } }, { nfs: { server: "nfs.example", path: "/x", readOnly: true } },
      { csi: { driver: "d.example", volumeHandle: "h", volumeAttributes: { a: "b" } } }]) {
      expect(pv({ ...base, ...source })).not.toThrow();
    }
    expect(pv(base)).toThrow(/spec: Required value: must specify a volume type/);
    expect(pv({ ...base, hostPath: { path: "/d" }, nfs: { server: "s", path: "/x" } })).toThrow(/spec\.nfs: Forbidden: may not specify more than 1 volume type/);
    expect(pv({ accessModes: ["ReadWriteOnce"], hostPath: { path: "/d" } })).toThrow(/spec\.capacity: Required value/);
    expect(pv({ capacity: { storage: "1Gi" }, hostPath: { path: "/d" } })).toThrow(/spec\.accessModes: Required value: at least 1 access mode is required/);
    expect(pv({ ...base, accessModes: [], hostPath: { path: "/d" } })).toThrow(/spec\.accessModes: Required value: at least 1 access mode is required/);
  });

  it("requires a claim's storage request, naming it as the apiserver does", () => {
    const pvc = (spec: Record<string, unknown>) => () => persistentVolumeClaim.codec.parseManifest("v1", { metadata: { name: "data" }, spec }, { namespace: "default", name: "data" });
    expect(pvc({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "standard" })).not.toThrow();
    expect(pvc({ accessModes: ["ReadWriteOnce"], resources: { requests: {} } })).toThrow(/spec\.resources\[storage\]: Required value/);
    expect(pvc({ accessModes: ["ReadWriteOnce"] })).toThrow(/spec\.resources\[storage\]: Required value/);
    expect(pvc({ resources: { requests: { storage: "1Gi" } } })).toThrow(/spec\.accessModes: Required value: at least 1 access mode is required/);
  });
});
