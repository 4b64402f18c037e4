import { describe, expect, it } from "vitest";
import { podClaimNames, Volume } from "./volumes.js";

describe("a pod's persistentVolumeClaim volumes", () => {
  it("takes a claim by name, and refuses one without claimName naming the field", () => {
    expect(Volume.safeParse({ name: "data", persistentVolumeClaim: { claimName: "data", readOnly: true } }).success).toBe(true);
    const missing = Volume.safeParse({ name: "data", persistentVolumeClaim: {} });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path.join("."))).toEqual(["persistentVolumeClaim.claimName"]);
    expect(Volume.safeParse({ name: "data", persistentVolumeClaim: { claimName: "data" }, emptyDir: {} }).success).toBe(false);
  });

  it("lists the claims a pod spec uses, each once, in order", () => {
    const volumes = [{ name: "a", persistentVolumeClaim: { claimName: "one" } }, { name: "b", emptyDir: {} }, { name: "c", persistentVolumeClaim: { claimName: "two" } }, { name: "d", persistentVolumeClaim: { claimName: "one" } }];
    expect(podClaimNames({ volumes })).toEqual(["one", "two"]);
    expect(podClaimNames({})).toEqual([]);
  });
});
