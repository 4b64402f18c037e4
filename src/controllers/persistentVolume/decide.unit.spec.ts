import { describe, expect, it } from "vitest";
import { COXSWAIN_PROVISIONER as PROVISIONER } from "../../api/storageClass.js";
import { decideClaim, decideVolume, defaultClass, type ClaimLike, type ClassLike, type VolumeLike } from "./decide.js";

const standard: ClassLike = { metadata: { name: "standard", uid: "sc1", creationTimestamp: "2026-12-07T10:00:00Z", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: PROVISIONER, reclaimPolicy: "Delete" };
const fast: ClassLike = { metadata: { name: "fast", uid: "sc2", creationTimestamp: "2026-12-07T11:00:00Z" }, provisioner: "ebs.csi.aws.com" };

function claim(spec: Partial<ClaimLike["spec"]> = {}, status?: ClaimLike["status"]): ClaimLike {
  return {
    metadata: { name: "data", namespace: "default", uid: "c1" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
    ...(status ? { status } : {}),
  };
}

function volume(name: string, spec: Partial<VolumeLike["spec"]> = {}, phase: NonNullable<VolumeLike["status"]>["phase"] = "Available", labels?: Record<string, string>): VolumeLike {
  return {
    metadata: { name, uid: `u-${name}`, ...(labels ? { labels } : {}) },
    spec: { capacity: { storage: "5Gi" }, accessModes: ["ReadWriteOnce", "ReadOnlyMany"], hostPath: { path: `/srv/${name}` }, ...spec },
    status: { phase },
  };
}

const mine = { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: "default", name: "data", uid: "c1" };

describe("the PersistentVolume controller's claim decisions", () => {
  it("gives a claim with no class the default StorageClass (the newest marked default), and leaves an empty class empty", () => {
    expect(decideClaim(claim(), [], [standard, fast])).toEqual({ kind: "setClass", className: "standard" });
    // Not for a claim bound, or naming its volume (Kubernetes assigns the default to unbound claims only).
    expect(decideClaim(claim({ volumeName: "pv1" }), [], [standard])).not.toMatchObject({ kind: "setClass" });
    expect(decideClaim(claim({}, { phase: "Bound" }), [], [standard])).not.toMatchObject({ kind: "setClass" });
    const newer = { ...standard, metadata: { ...standard.metadata, name: "newer", creationTimestamp: "2026-12-07T12:00:00Z" } };
    expect(defaultClass([standard, newer])?.metadata.name).toBe("newer");
    expect(decideClaim(claim({ storageClassName: "" }), [], [standard])).toMatchObject({ kind: "none", why: "no persistent volumes available for this claim and no storage class is set" });
    // The beta annotation names a class as storageClassName does (and wins over it, as Kubernetes reads it).
    const beta = { ...claim(), metadata: { ...claim().metadata, annotations: { "volume.beta.kubernetes.io/storage-class": "fast" } } };
    expect(decideClaim(beta, [], [standard, fast])).toMatchObject({ kind: "none", why: 'waiting for a volume to be created by the external provisioner "ebs.csi.aws.com"' });
  });

  it("claims the smallest Available volume that satisfies it: class, access modes, size, volume mode, selector", () => {
    const c = claim({ storageClassName: "" });
    const volumes = [
      volume("big", { capacity: { storage: "10Gi" } }),
      volume("small", { capacity: { storage: "1Gi" } }),
      volume("tiny", { capacity: { storage: "500Mi" } }),
      volume("rox", { capacity: { storage: "1Gi" }, accessModes: ["ReadOnlyMany"] }),
      volume("classed", { capacity: { storage: "1Gi" }, storageClassName: "fast" }),
      volume("block", { capacity: { storage: "1Gi" }, volumeMode: "Block" }),
      volume("taken", { capacity: { storage: "1Gi" }, claimRef: { namespace: "other", name: "x", uid: "o1" } }, "Bound"),
      volume("new", { capacity: { storage: "1Gi" } }, "Pending"),
    ];
    expect(decideClaim(c, volumes, [])).toEqual({ kind: "claimVolume", volume: "small", claimRef: mine });
    const selective = claim({ storageClassName: "", selector: { matchLabels: { tier: "gold" } } });
    expect(decideClaim(selective, [...volumes, volume("gold", { capacity: { storage: "8Gi" } }, "Available", { tier: "gold" })], [])).toEqual({ kind: "claimVolume", volume: "gold", claimRef: mine });
  });

  it("names in the claim the volume claimed for it, then is Bound with the volume's modes and capacity", () => {
    const claimed = volume("pv1", { claimRef: mine }, "Bound");
    expect(decideClaim(claim({ storageClassName: "" }), [claimed], [])).toMatchObject({ kind: "setVolumeName", volume: "pv1", annotations: { "pv.kubernetes.io/bind-completed": "yes" } });
    expect(decideClaim(claim({ storageClassName: "", volumeName: "pv1" }), [claimed], [])).toEqual({
      kind: "status", status: { phase: "Bound", accessModes: ["ReadWriteOnce", "ReadOnlyMany"], capacity: { storage: "5Gi" } },
    });
    const bound = claim({ storageClassName: "", volumeName: "pv1" }, { phase: "Bound", accessModes: ["ReadWriteOnce", "ReadOnlyMany"], capacity: { storage: "5Gi" } });
    expect(decideClaim(bound, [claimed], [])).toEqual({ kind: "none" });
    // Its volume gone, or claimed by another: Lost.
    expect(decideClaim(bound, [], [])).toEqual({ kind: "status", status: { phase: "Lost" } });
    expect(decideClaim(bound, [volume("pv1", { claimRef: { namespace: "default", name: "data", uid: "older" } })], [])).toEqual({ kind: "status", status: { phase: "Lost" } });
  });

  it("binds a claim to the volume it names when that volume is free and satisfies it, and says why not otherwise", () => {
    expect(decideClaim(claim({ storageClassName: "", volumeName: "pv1" }), [volume("pv1")], [])).toEqual({ kind: "claimVolume", volume: "pv1", claimRef: mine });
    expect(decideClaim(claim({ storageClassName: "", volumeName: "pv1" }), [volume("pv1", { capacity: { storage: "100Mi" } })], []))
      .toEqual({ kind: "none", why: 'Cannot bind to requested volume "pv1": requested PV is too small' });
    expect(decideClaim(claim({ storageClassName: "", volumeName: "pv1" }), [volume("pv1", { claimRef: { namespace: "x", name: "y", uid: "z" } })], []))
      .toMatchObject({ kind: "none", why: "volume pv1 already bound to a different claim" });
    // A volume a user claimed ahead for it (no uid) gets the claim's uid.
    expect(decideClaim(claim({ storageClassName: "" }), [volume("pre", { claimRef: { namespace: "default", name: "data" } })], []))
      .toEqual({ kind: "claimVolume", volume: "pre", claimRef: mine });
  });

  it("provisions a volume pvc-<uid> for a class of Coxswain's provisioner, with the class's reclaim policy; waits for another provisioner", () => {
    const action = decideClaim(claim({ storageClassName: "standard", accessModes: ["ReadWriteOnce"] }), [], [standard, fast]);
    expect(action).toEqual({
      kind: "provision",
      volume: {
        metadata: { name: "pvc-c1", annotations: { "pv.kubernetes.io/provisioned-by": PROVISIONER, "pv.kubernetes.io/bound-by-controller": "yes" } },
        spec: {
          capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Delete", storageClassName: "standard",
          volumeMode: "Filesystem", claimRef: mine, hostPath: { path: "/var/lib/coxswain/volumes/pvc-c1", type: "DirectoryOrCreate" },
        },
      },
    });
    expect(decideClaim(claim({ storageClassName: "fast" }), [], [standard, fast])).toMatchObject({ kind: "none", why: 'waiting for a volume to be created by the external provisioner "ebs.csi.aws.com"' });
    expect(decideClaim(claim({ storageClassName: "gone" }), [], [standard])).toMatchObject({ kind: "none", why: 'storageclass.storage.k8s.io "gone" not found' });
  });
});

describe("the PersistentVolume controller's volume decisions", () => {
  it("makes a new volume Available, and Bound while the claim it names exists", () => {
    expect(decideVolume(volume("pv1", {}, "Pending"), undefined)).toEqual({ kind: "status", phase: "Available" });
    expect(decideVolume(volume("pv1", {}, "Available"), undefined)).toEqual({ kind: "none" });
    expect(decideVolume(volume("pv1", { claimRef: mine }, "Pending"), claim())).toEqual({ kind: "status", phase: "Bound" });
    // Claimed ahead (no uid) for a claim not made yet: still Available.
    expect(decideVolume(volume("pv1", { claimRef: { namespace: "default", name: "later" } }, "Pending"), undefined)).toEqual({ kind: "status", phase: "Available" });
  });

  it("frees a volume the controller claimed for a claim since bound to another (a decision on a stale view); keeps a user's", () => {
    const claimed = volume("pv2", { claimRef: mine }, "Bound");
    const boundElsewhere = claim({ volumeName: "pv1" }, { phase: "Bound" });
    expect(decideVolume({ ...claimed, metadata: { ...claimed.metadata, annotations: { "pv.kubernetes.io/bound-by-controller": "yes" } } }, boundElsewhere)).toEqual({ kind: "free" });
    expect(decideVolume(claimed, boundElsewhere)).toEqual({ kind: "status", phase: "Available" });
    expect(decideVolume(claimed, claim({ volumeName: "pv2" }))).toEqual({ kind: "none" });
    expect(decideVolume(claimed, claim())).toEqual({ kind: "none" }); // the claim's volumeName is on its way
  });

  it("releases a volume whose claim is gone, then reclaims it by its policy", () => {
    expect(decideVolume(volume("pv1", { claimRef: mine }, "Bound"), undefined)).toEqual({ kind: "status", phase: "Released" });
    expect(decideVolume(volume("pv1", { claimRef: mine, persistentVolumeReclaimPolicy: "Delete" }, "Released"), undefined)).toEqual({ kind: "delete" });
    expect(decideVolume(volume("pv1", { claimRef: mine, persistentVolumeReclaimPolicy: "Recycle" }, "Released"), undefined)).toEqual({ kind: "free" });
    expect(decideVolume(volume("pv1", { claimRef: mine, persistentVolumeReclaimPolicy: "Retain" }, "Released"), undefined)).toEqual({ kind: "none" });
    expect(decideVolume(volume("pv1", { claimRef: mine }, "Released"), undefined)).toEqual({ kind: "none" }); // Retain by default
    // A claim of the same name made again is another claim: the volume stays Released.
    expect(decideVolume(volume("pv1", { claimRef: mine }, "Bound"), { ...claim(), metadata: { ...claim().metadata, uid: "c2" } })).toEqual({ kind: "status", phase: "Released" });
  });
});
