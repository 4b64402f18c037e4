import { describe, expect, it } from "vitest";
import { fnv1a, shardOf, shardService } from "./shard.js";

describe("shardOf", () => {
  it("is FNV-1a 32 of the key's bytes (the published test vectors)", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  it("puts every key on one shard of the n, the same each time, and spreads keys over all of them", () => {
    const keys = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    const shards = keys.map((k) => shardOf(k, 3));
    expect(shards.every((s) => s >= 0 && s < 3)).toBe(true);
    expect(keys.map((k) => shardOf(k, 3))).toEqual(shards);
    for (const s of [0, 1, 2]) expect(shards.filter((x) => x === s).length).toBeGreaterThan(60);
  });

  it("refuses a shard count that is not a positive integer", () => {
    expect(() => shardOf("k", 0)).toThrow(RangeError);
    expect(() => shardOf("k", 1.5)).toThrow(RangeError);
  });

  it("names the shard's service", () => expect(shardService(2)).toBe("shard-2"));
});
