import { describe, expect, it } from "vitest";
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { readLog } from "./eventLog.js";
import { upcast } from "./upcast.js";
import { replayThroughActors } from "../actors/replay.js";

describe("upcasting events written by an older schema", () => {
  it("reads a v0 log (no schemaVersion) into the current shape and replays it", async () => {
    const log = await readLog(createReadStream(fileURLToPath(new URL("../../test/fixtures/namespaces-v0.jsonl", import.meta.url))));
    expect(log.every((e) => e.event.schemaVersion === 1)).toBe(true);
    const state = replayThroughActors("cox", log).get("namespaces._.legacy")?.state as { object: { metadata: Record<string, unknown> } };
    expect(state.object.metadata).toEqual({ name: "legacy", uid: "u-legacy", creationTimestamp: "2026-01-02T03:04:05Z", labels: { era: "2015", "kubernetes.io/metadata.name": "legacy" } });
  });

  it("leaves current events alone and refuses events from a newer schema", () => {
    const e = { type: "NamespaceDeleted", kind: "Namespace", namespace: "_", name: "x", uid: "u", version: 2, time: "t", commandId: "c", schemaVersion: 1, data: {} };
    expect(upcast(e)).toEqual(e);
    expect(() => upcast({ ...e, schemaVersion: 9 })).toThrow(/schema version 9/);
  });
});
