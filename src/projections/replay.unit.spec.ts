import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { replayThroughActors } from "../actors/replay.js";
import { ACTOR_KINDS } from "../actors/registry.js";
import { readLog } from "../events/eventLog.js";
import { upcast } from "../events/upcast.js";
import { randomBytes } from "node:crypto";
import { seal, useSealingKey } from "../events/sealing.js";
import { replay } from "./replay.js";

const nameOf = (o: { metadata: unknown }) => (o.metadata as { name: string }).name;
const fixture = fileURLToPath(new URL("../../test/fixtures/namespaces.jsonl", import.meta.url));

describe("replay of an exported log without a server", () => {
  it("gives, for each kind, the objects the actors' own fold renders, with resourceVersion = last sequence", async () => {
    const log = await readLog(createReadStream(fixture));
    const result = await replay(fixture);
    expect(result.resourceVersion).toBe(String(log[log.length - 1]?.sequence));
    const decider = ACTOR_KINDS.namespaces!.decider;
    const expected = [...replayThroughActors("cox", log.map((e) => ({ ...e, event: upcast(e.event) })))]
      .map(([, e]) => ({ rendered: decider.render(e.state), sequence: e.sequence }))
      .filter((e) => e.rendered !== null)
      .map((e) => ({ apiVersion: "v1", ...e.rendered, metadata: { ...(e.rendered?.metadata as object), resourceVersion: String(e.sequence) } }))
      .sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));
    expect(result.items.namespaces).toEqual(expected);
    expect(await replay(log)).toEqual(result);
  });

  it("renders v1beta1 when asked", async () => {
    const result = await replay(fixture, { apiVersion: "v1beta1" });
    expect(result.items.namespaces?.[0]).toMatchObject({ apiVersion: "v1beta1", kind: "Namespace", id: "default" });
  });

  it("opens a Secret's sealed events with this process's key, and without one leaves them out and counts them", async () => {
    const key = randomBytes(32);
    useSealingKey(key);
    try {
      const object = { kind: "Secret", metadata: { name: "db", namespace: "default", uid: "s1", creationTimestamp: "2026-12-06T00:00:00Z" }, type: "Opaque", data: { p: "YQ==" } };
      const envelope = { type: "SecretCreated", kind: "Secret", namespace: "default", name: "db", uid: "s1", version: 1, time: "2026-12-06T00:00:00Z", commandId: "c1" };
      const log = [{ sequence: 1, subject: "cox.ev.secrets.default.db", event: { ...envelope, data: seal({ object }, "Secret/default/db") } }];
      const open = await replay(log);
      expect(open.items.secrets?.[0]).toMatchObject({ kind: "Secret", data: { p: "YQ==" } });
      expect(open.sealed).toBeUndefined();
      useSealingKey(null);
      const closed = await replay(log);
      expect(closed.items.secrets).toBeUndefined();
      expect(closed.sealed).toBe(1);
    } finally {
      useSealingKey(null);
    }
  });
});
