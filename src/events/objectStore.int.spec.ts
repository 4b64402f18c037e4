import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { ObjectBucket } from "./objectStore.js";

let nats: TestNats;

beforeAll(async () => {
  nats = await startTestNats();
});
afterAll(async () => {
  await nats?.cleanup();
});

describe("an object store bucket on a real nats-server", () => {
  it("stores, replaces and deletes whole objects by name", async () => {
    const name = uniqueName("OBJ");
    const bucket = await ObjectBucket.open(await nats.connect(), name);
    expect(await bucket.get("p")).toBeNull();
    await bucket.put("p", new Uint8Array([1, 2, 3]));
    await bucket.put("p", new Uint8Array(200_000).fill(7));
    const reopened = await ObjectBucket.open(await nats.connect(), name);
    const got = await reopened.get("p");
    expect([got?.length, got?.every((b) => b === 7)]).toEqual([200_000, true]);
    await reopened.delete("p");
    expect(await bucket.get("p")).toBeNull();
    await bucket.delete("p");
  });
});
