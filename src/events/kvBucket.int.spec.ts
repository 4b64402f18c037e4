import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { KvBucket, type KvRecord, type KvWatch } from "./kvBucket.js";
import { isWrongLastSequence } from "./streamErrors.js";

let nats: TestNats;

beforeAll(async () => {
  nats = await startTestNats();
});
afterAll(async () => {
  await nats?.cleanup();
});

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail("expected a rejection"), (err: unknown) => err);
}

/** The first `n` records of a watch, then stops it. */
async function firstOf(watch: KvWatch, n: number): Promise<KvRecord[]> {
  const out: KvRecord[] = [];
  for await (const r of watch) {
    out.push(r);
    if (out.length === n) break;
  }
  watch.stop();
  return out;
}

describe("a KV bucket on a real nats-server", () => {
  it("keeps one value per key and refuses revision-checked writes that lost their race as wrong last sequence", async () => {
    const kv = await KvBucket.open(await nats.connect(), uniqueName("KV"));
    const first = await kv.create("a", "one");
    expect(isWrongLastSequence(await rejection(kv.create("a", "other")))).toBe(true);
    const second = await kv.update("a", "two", first);
    expect(isWrongLastSequence(await rejection(kv.update("a", "stale", first)))).toBe(true);
    const history: KvRecord[] = [];
    for await (const r of await kv.history("a")) history.push(r);
    expect(history.map((r) => [r.operation, r.string(), r.revision])).toEqual([["PUT", "two", second]]);

    expect(isWrongLastSequence(await rejection(kv.delete("a", first)))).toBe(true);
    await kv.delete("a", second);
    expect((await kv.get("a"))?.operation).toBe("DEL");
    expect(await kv.get("never")).toBeNull();
    await kv.create("a", "again");
    await kv.put("b", "x");
    await kv.put("c", "y");
    await kv.delete("c"); // unconditional
    expect((await kv.get("c"))?.operation).toBe("DEL");
    expect((await kv.keys()).sort()).toEqual(["a", "b"]);
  });

  it("deletes with a marker that carries a payload, only at the expected revision", async () => {
    const kv = await KvBucket.open(await nats.connect(), uniqueName("KV"));
    const revision = await kv.put("lease", "held");
    const payload = new TextEncoder().encode("term 7");
    expect(isWrongLastSequence(await rejection(kv.deleteCarrying("lease", payload, revision - 1, 5_000)))).toBe(true);
    await kv.deleteCarrying("lease", payload, revision, 5_000);
    const marker = await kv.get("lease");
    expect([marker?.operation, marker?.string()]).toEqual(["DEL", "term 7"]);
    expect(await kv.keys()).toEqual([]);
  });

  it("watches from each key's latest value, or only the writes made after the watch began", async () => {
    const kv = await KvBucket.open(await nats.connect(), uniqueName("KV"));
    await kv.put("a", "1");
    const all = await kv.watch({ key: ">" });
    const updates = await kv.watch({ key: ">", updatesOnly: true });
    await kv.put("b", "2");
    expect((await firstOf(all, 2)).map((r) => `${r.key}=${r.string()}`)).toEqual(["a=1", "b=2"]);
    expect((await firstOf(updates, 1)).map((r) => `${r.key}=${r.string()}`)).toEqual(["b=2"]);
  });

  it("binds to an existing bucket without creating it", async () => {
    const name = uniqueName("KV");
    await (await KvBucket.open(await nats.connect(), name)).put("k", "v");
    expect((await (await KvBucket.existing(await nats.connect(), name)).get("k"))?.string()).toBe("v");
  });
});
