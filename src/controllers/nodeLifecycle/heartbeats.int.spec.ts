import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kvm } from "@nats-io/kv";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { KvHeartbeats } from "./heartbeats.js";

let nats: TestNats;

beforeAll(async () => {
  nats = await startTestNats();
});
afterAll(async () => {
  await nats?.cleanup();
});

describe("the KV heartbeat watch", () => {
  it("keeps the latest lease per node, forgets deleted or unreadable ones, and tells its listeners of each", async () => {
    const nc = await nats.connect();
    const bucket = uniqueName("NODE_LEASES");
    const kv = await new Kvm(nc).create(bucket, { history: 1 });
    await kv.put("n1", JSON.stringify({ nodeName: "n1", renewTime: "2026-01-01T00:00:00.000Z" }));
    const heartbeats = new KvHeartbeats(nc, { bucket });
    const heard: string[] = [];
    heartbeats.onChange((name) => heard.push(name));
    try {
      await eventually(() => heartbeats.leases().get("n1"));
      await kv.put("n1", JSON.stringify({ nodeName: "n1", renewTime: "2026-01-01T00:00:01.000Z", leaseDurationMs: 4000 }));
      await kv.put("n2", "not json");
      await eventually(() => heartbeats.leases().get("n1")?.renewTime === "2026-01-01T00:00:01.000Z" || undefined);
      expect(heartbeats.leases().get("n1")?.leaseDurationMs).toBe(4000);
      expect(heartbeats.leases().has("n2")).toBe(false);
      await kv.delete("n1");
      await eventually(() => !heartbeats.leases().has("n1") || undefined);
      expect(heard).toEqual(["n1", "n1", "n2", "n1"]); // put, put, unreadable, delete
    } finally {
      await heartbeats.stop();
    }
  });
});
