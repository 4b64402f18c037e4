import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { COXSWAIN_PROVISIONER, DEFAULT_CLASS_ANNOTATION } from "../../api/storageClass.js";
import { storageClassKind } from "./index.js";

const decider = storageClassKind.decider;
const command = commandOf(decider, meta({ namespace: "_", name: "fast", uid: "u-sc", time: "2026-12-08T00:00:00Z" }));
const manifest = (more: Record<string, unknown> = {}) => ({ metadata: { name: "fast" }, provisioner: "example.com/disk", parameters: { type: "ssd" }, ...more });
type Created = { type: string; data: { object: Record<string, unknown> } };

describe("the StorageClass actor", () => {
  it("stores Kubernetes' defaults (reclaimPolicy Delete, volumeBindingMode Immediate) and no status", () => {
    const [created] = given(decider).when(command("CreateStorageClass", manifest() as never)).then(() => undefined) as unknown as Created[];
    expect(created?.data.object).toEqual({
      kind: "StorageClass", provisioner: "example.com/disk", parameters: { type: "ssd" }, reclaimPolicy: "Delete", volumeBindingMode: "Immediate",
      metadata: { name: "fast", uid: "u-sc", creationTimestamp: "2026-12-08T00:00:00Z" },
    });
    expect(Object.keys(decider.commands).sort()).toEqual(["CreateStorageClass", "DeleteStorageClass", "UpdateStorageClass"]);
  });

  it("refuses a change of the provisioner, parameters or either policy in the apiserver's words (the binding mode as an immutable field); lets the rest change", () => {
    const history = given(decider).when(command("CreateStorageClass", manifest() as never)).then(() => undefined);
    const update = (more: Record<string, unknown>) => given(decider, history).when(command("UpdateStorageClass", manifest(more) as never));
    update({ provisioner: "example.com/other" }).thenThrows("Invalid", /data\.provisioner: Forbidden: updates to provisioner are forbidden\.$/);
    update({ parameters: { type: "hdd" } }).thenThrows("Invalid", /data\.parameters: Forbidden: updates to parameters are forbidden\.$/);
    update({ reclaimPolicy: "Retain" }).thenThrows("Invalid", /data\.reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden\.$/);
    update({ volumeBindingMode: "WaitForFirstConsumer" }).thenThrows("Invalid", /data\.volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable$/);
    // The defaults written out are no change; allowVolumeExpansion may change.
    update({ reclaimPolicy: "Delete", volumeBindingMode: "Immediate" }).thenNothingHappened();
    update({ allowVolumeExpansion: true }).then((events) => expect(events.map((e) => e.type)).toEqual(["StorageClassUpdated"]));
  });

  it("bootstraps the default class standard of Coxswain's provisioner", () => {
    expect(storageClassKind.bootstrap).toEqual([expect.objectContaining({
      namespace: "_", name: "standard", id: "bootstrap-storageclass-standard", type: "CreateStorageClass",
      data: expect.objectContaining({ metadata: { name: "standard", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } }, provisioner: COXSWAIN_PROVISIONER }),
    })]);
  });
});
