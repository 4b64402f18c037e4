import { describe, expect, it } from "vitest";
import { pod } from "../../../test/harness/controllerObjects.js";
import type { Toleration } from "../../api/podPlacement.js";
import { Taints, tolerates, untoleratedTaint, type Taint } from "../../api/taints.js";
import { taintEvictions, toleratedForMs } from "./decide.js";

const ADDED = "2026-12-07T10:00:00Z";
const T0 = Date.parse(ADDED);
const taint: Taint = { key: "maintenance", value: "on", effect: "NoExecute", timeAdded: ADDED };
const tolerating = (name: string, ...tolerations: Toleration[]) => {
  const p = pod(name, { nodeName: "n" });
  return { ...p, spec: { ...p.spec, tolerations } };
};

describe("taints and tolerations", () => {
  it("match as Kubernetes matches them: key and value, Exists for any value or any key, an effect or every effect", () => {
    expect(tolerates({ key: "maintenance", operator: "Equal", value: "on" }, taint)).toBe(true);
    expect(tolerates({ key: "maintenance", value: "on" }, taint)).toBe(true); // Equal by default
    expect(tolerates({ key: "maintenance", value: "off" }, taint)).toBe(false);
    expect(tolerates({ key: "maintenance", operator: "Exists", effect: "NoExecute" }, taint)).toBe(true);
    expect(tolerates({ key: "maintenance", operator: "Exists", effect: "NoSchedule" }, taint)).toBe(false);
    expect(tolerates({ operator: "Exists" }, taint)).toBe(true);
    expect(tolerates({ key: "other", operator: "Exists" }, taint)).toBe(false);
    expect(untoleratedTaint([taint, { key: "soft", effect: "PreferNoSchedule" }], [])).toEqual(taint);
    expect(untoleratedTaint([{ key: "soft", effect: "PreferNoSchedule" }], [])).toBeUndefined();
    expect(Taints.safeParse([{ key: "k", effect: "NoSchedule" }, { key: "k", effect: "NoExecute" }]).success).toBe(true);
  });
});

describe("the taint eviction decision", () => {
  const seenAt = (ms: number) => () => ms;
  it("evicts at once a pod that does not tolerate a NoExecute taint, never one that tolerates it for good", () => {
    const bare = pod("bare", { nodeName: "n" });
    const forever = tolerating("forever", { key: "maintenance", operator: "Exists", effect: "NoExecute" });
    expect(taintEvictions([taint], [bare, forever], seenAt(T0), T0)).toEqual({ evict: [bare] });
    expect(toleratedForMs(forever, [taint])).toBe(Number.POSITIVE_INFINITY);
  });

  it("evicts a pod tolerating it for tolerationSeconds that long after it was first seen there (the least of the tolerations it uses)", () => {
    const patient = tolerating("patient", { key: "maintenance", operator: "Exists", tolerationSeconds: 60 }, { key: "maintenance", value: "on", effect: "NoExecute", tolerationSeconds: 30 });
    expect(taintEvictions([taint], [patient], seenAt(T0), T0 + 10_000)).toEqual({ evict: [], nextAt: T0 + 30_000 });
    expect(taintEvictions([taint], [patient], seenAt(T0), T0 + 30_000).evict).toEqual([patient]);
    // Seen later (a pod that came after the taint): its seconds count from then, not from the taint's timeAdded.
    expect(taintEvictions([taint], [patient], seenAt(T0 + 60_000), T0 + 60_000)).toEqual({ evict: [], nextAt: T0 + 90_000 });
    // Another taint it does not tolerate at all: at once; one it tolerates for good does not lift the others' seconds.
    expect(toleratedForMs(patient, [taint, { key: "x", effect: "NoExecute" }])).toBe(0);
    const mixed = tolerating("mixed", { key: "maintenance", operator: "Exists", tolerationSeconds: 60 }, { key: "x", operator: "Exists" });
    expect(toleratedForMs(mixed, [taint, { key: "x", effect: "NoExecute" }])).toBe(60_000);
  });
});
