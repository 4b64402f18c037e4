import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { MAX_CONFIG_BYTES } from "../../api/configMap.js";
import { configMapKind } from "./index.js";

const decider = configMapKind.decider;
const m = meta({ namespace: "default", name: "app", uid: "u-1", time: "2026-12-06T10:00:00Z" });
const cmd = commandOf(decider, m);
const created = (fields: object) => [{ type: "ConfigMapCreated", data: { object: { kind: "ConfigMap", ...fields, metadata: { name: "app", namespace: "default", uid: "u-1", creationTimestamp: "2026-12-06T10:00:00Z" } } } }];

describe("ConfigMap decider", () => {
  it("creates and replaces its data", () => {
    given(decider).when(cmd("CreateConfigMap", { metadata: { name: "app" }, data: { mode: "fast" } })).then(created({ data: { mode: "fast" } }));
    given(decider, created({ data: { mode: "fast" } })).when(cmd("UpdateConfigMap", { metadata: { name: "app" }, data: { mode: "slow" } }))
      .then([{ type: "ConfigMapUpdated", data: { fields: { data: { mode: "slow" } } } }]);
  });

  it("refuses a key in both data and binaryData, and more than 1 MiB, naming the field", () => {
    given(decider).when(cmd("CreateConfigMap", { metadata: { name: "app" }, data: { k: "a" }, binaryData: { k: "AA==" } }))
      .thenThrows("Invalid", /configmaps "app" is invalid: data\.data\[k\]: Invalid value: "k": duplicate of key present in binaryData/);
    given(decider).when(cmd("CreateConfigMap", { metadata: { name: "app" }, data: { big: "x".repeat(MAX_CONFIG_BYTES) } }))
      .thenThrows("Invalid", /must have at most 1048576 bytes/);
  });

  it("keeps an immutable ConfigMap's data, binary data and flag; its labels may still change", () => {
    const frozen = created({ data: { mode: "fast" }, immutable: true });
    const update = (fields: object, labels?: Record<string, string>) => cmd("UpdateConfigMap", { metadata: { name: "app", ...(labels ? { labels } : {}) }, ...fields });
    given(decider, frozen).when(update({ data: { mode: "slow" }, immutable: true })).thenThrows("Invalid", /data\.data: Forbidden: field is immutable when `immutable` is set/);
    given(decider, frozen).when(update({ data: { mode: "fast" } })).thenThrows("Invalid", /data\.immutable: Forbidden: field is immutable/);
    given(decider, frozen).when(update({ data: { mode: "fast" }, binaryData: { b: "AA==" }, immutable: true })).thenThrows("Invalid", /data\.binaryData: Forbidden/);
    const events = given(decider, frozen).when(update({ data: { mode: "fast" }, immutable: true }, { tier: "web" })).then([
      { type: "ConfigMapUpdated", data: { fields: { data: { mode: "fast" }, immutable: true }, labels: { tier: "web" } } },
    ]);
    expect(events).toHaveLength(1);
    // A missing map and an empty one are the same data.
    given(decider, created({ immutable: true })).when(update({ data: {}, immutable: true }))
      .then([{ type: "ConfigMapUpdated", data: { fields: { data: {}, immutable: true } } }]);
  });
});
