import { describe, expect, it } from "vitest";
import { COLUMNS } from "./columns.js";
import type { Column } from "./column.js";
import { DEFAULT_CLASS_ANNOTATION, storageClass } from "./storageClass.js";

const now = new Date("2026-12-08T01:00:00Z");
const cells = (o: unknown) => COLUMNS.storageclasses.map((c) => (c as unknown as Column<unknown>).cell(o, now));

describe("StorageClass", () => {
  it("prints its row as kube-apiserver does: the default class's name with ` (default)`, the policies' defaults", () => {
    expect(COLUMNS.storageclasses.map((c) => c.name)).toEqual(["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"]);
    const standard = { metadata: { name: "standard", creationTimestamp: "2026-12-08T00:00:00Z", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } }, provisioner: "coxswain.io/host-path", reclaimPolicy: "Delete", volumeBindingMode: "Immediate" };
    expect(cells(standard)).toEqual(["standard (default)", "coxswain.io/host-path", "Delete", "Immediate", "false", "60m"]);
    const other = { metadata: { name: "slow", creationTimestamp: "2026-12-08T00:00:00Z", annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" } }, provisioner: "x", volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true };
    expect(cells(other)).toEqual(["slow", "x", "Delete", "WaitForFirstConsumer", "true", "60m"]);
  });

  it("requires a provisioner and takes Kubernetes' allowedTopologies", () => {
    const parse = (body: Record<string, unknown>) => () => storageClass.codec.parseManifest("v1", { metadata: { name: "sc" }, ...body }, { namespace: "_", name: "sc" });
    expect(parse({ provisioner: "p", allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["a"] }] }], mountOptions: ["ro"] })).not.toThrow();
    expect(parse({})).toThrow(/provisioner: Required value/);
    expect(parse({ provisioner: "p", reclaimPolicy: "Recycle" })).toThrow(/reclaimPolicy: Unsupported value: "Recycle"/);
  });
});
