/** The nodes' Leases read from a real heartbeat bucket: by key, a list of one per node, nothing from a bucket never made. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { KvBucket } from "../events/kvBucket.js";
import { nodeLeaseSource } from "./nodeLeases.js";

const node = (name: string) => ({ kind: "Node", metadata: { name, uid: `uid-${name}`, creationTimestamp: "2026-12-07T23:00:00Z" } });
const heartbeat = (name: string, at: string) => JSON.stringify({ nodeName: name, renewTime: at, leaseDurationMs: 4_000 });

describe("nodeLeaseSource", () => {
  let t: TestNats;
  let nc: NatsConnection;
  const bucket = uniqueName("NODE_LEASES");

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    const kv = await KvBucket.open(nc, bucket);
    await kv.put("node-a", heartbeat("node-a", "2026-12-07T23:00:01.250Z"));
    await kv.put("node-b", heartbeat("node-b", "2026-12-07T23:00:02.000Z"));
    await kv.put("node-b", heartbeat("node-b", "2026-12-07T23:00:03.500Z")); // the latest counts
    await kv.put("node-c", heartbeat("node-c", "2026-12-07T23:00:01.000Z"));
    await kv.delete("node-c"); // a delete marker: no lease
    await kv.put("node-d", "not a heartbeat");
  });
  afterAll(async () => t?.cleanup());

  it("reads one node's Lease by its key, at the model's resourceVersion, and none for a node without a heartbeat", async () => {
    const source = nodeLeaseSource(() => KvBucket.existing(nc, bucket), () => "42");
    const lease = await source.get(node("node-b"));
    expect(lease?.spec).toEqual({ holderIdentity: "node-b", leaseDurationSeconds: 4, renewTime: "2026-12-07T23:00:03.500000Z" });
    expect((lease?.metadata as { resourceVersion: string }).resourceVersion).toBe("42");
    expect(await source.get(node("node-c"))).toBeNull();
    expect(await source.get(node("node-d"))).toBeNull();
    expect(await source.get(node("node-e"))).toBeNull();
  });

  it("lists the Leases of the nodes given that have a heartbeat, in their order", async () => {
    const source = nodeLeaseSource(() => KvBucket.existing(nc, bucket), () => "7");
    const listed = await source.list(["node-b", "node-c", "node-a", "node-e"].map(node));
    expect(listed.map((l) => [(l.metadata as { name: string }).name, (l.spec as { renewTime: string }).renewTime])).toEqual([
      ["node-b", "2026-12-07T23:00:03.500000Z"], ["node-a", "2026-12-07T23:00:01.250000Z"],
    ]);
  });

  it("has none, and no error, where the heartbeat bucket was never made", async () => {
    const source = nodeLeaseSource(() => KvBucket.existing(nc, uniqueName("NEVER_MADE")), () => "1");
    expect(await source.get(node("node-a"))).toBeNull();
    expect(await source.list([node("node-a")])).toEqual([]);
  });
});
