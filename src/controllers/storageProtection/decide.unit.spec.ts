import { describe, expect, it } from "vitest";
import { unboundClaims } from "../scheduler/volumeBinding.js";
import { claimFinalizers, podUsesClaim, PV_PROTECTION, PVC_PROTECTION, volumeFinalizers } from "./decide.js";

const deleting = (finalizers: string[], phase?: string) => ({ metadata: { deletionTimestamp: "2026-12-07T10:00:00Z", finalizers }, ...(phase ? { status: { phase } } : {}) });
const pod = (claim: string, nodeName: string | undefined, phase = "Running") => ({
  spec: { ...(nodeName ? { nodeName } : {}), volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }] }, status: { phase },
});

describe("storage protection", () => {
  it("a claim is in use by a pod placed on a node that names it and has not ended", () => {
    expect(podUsesClaim(pod("data", "n1"), "data")).toBe(true);
    expect(podUsesClaim(pod("data", "n1", "Pending"), "data")).toBe(true);
    expect(podUsesClaim(pod("data", undefined, "Pending"), "data")).toBe(false);
    expect(podUsesClaim(pod("data", "n1", "Succeeded"), "data")).toBe(false);
    expect(podUsesClaim(pod("data", "n1", "Failed"), "data")).toBe(false);
    expect(podUsesClaim(pod("other", "n1"), "data")).toBe(false);
  });
  it("takes a claim's protection away once it is being deleted and no pod uses it, keeping its other finalizers; gives it back to one that lacks it", () => {
    const claim = deleting([PVC_PROTECTION, "example.com/backup"]);
    expect(claimFinalizers(claim, "data", [pod("data", "n1")])).toBeNull();
    expect(claimFinalizers(claim, "data", [pod("data", "n1", "Succeeded"), pod("other", "n1")])).toEqual(["example.com/backup"]);
    expect(claimFinalizers({ metadata: { finalizers: [PVC_PROTECTION] } }, "data", [])).toBeNull();
    // One without its protection gets it back, unless it is being deleted (no finalizer can be added then).
    expect(claimFinalizers({ metadata: { finalizers: ["example.com/backup"] } }, "data", [])).toEqual(["example.com/backup", PVC_PROTECTION]);
    expect(claimFinalizers({ metadata: {} }, "data", [])).toEqual([PVC_PROTECTION]);
    expect(claimFinalizers(deleting(["example.com/backup"]), "data", [])).toBeNull();
  });
  it("takes a volume's protection away once it is being deleted and not Bound", () => {
    expect(volumeFinalizers(deleting([PV_PROTECTION], "Bound"))).toBeNull();
    expect(volumeFinalizers(deleting([PV_PROTECTION], "Released"))).toEqual([]);
    expect(volumeFinalizers({ metadata: { finalizers: [PV_PROTECTION] }, status: { phase: "Available" } })).toBeNull();
    expect(volumeFinalizers({ metadata: {}, status: { phase: "Bound" } })).toEqual([PV_PROTECTION]);
  });
  it("the scheduler places no pod whose claim is being deleted", () => {
    const bound = { status: { phase: "Bound" } };
    expect(unboundClaims(["data"], () => bound)).toBeNull();
    expect(unboundClaims(["data"], () => ({ ...bound, metadata: { deletionTimestamp: "2026-12-07T10:00:00Z" } }))).toBe('persistentvolumeclaim "data" is being deleted');
  });
});
