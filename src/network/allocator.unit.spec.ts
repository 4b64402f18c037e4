import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressAllocator, BlockAllocator } from "./allocator.js";
import { cidrContains, ipToNumber, numberToIp, parseCidr } from "./cidr.js";

describe("cidr", () => {
  it("round-trips addresses and masks blocks", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => ipToNumber(numberToIp(n)) === n));
    expect(parseCidr("127.244.7.9/16")).toEqual({ base: ipToNumber("127.244.0.0"), prefix: 16 });
    expect(cidrContains(parseCidr("127.244.1.0/24"), "127.244.1.255")).toBe(true);
    expect(cidrContains(parseCidr("127.244.1.0/24"), "127.244.2.0")).toBe(false);
    expect(() => parseCidr("127.244.0.0")).toThrow(/CIDR/);
    expect(() => ipToNumber("127.1.300.1")).toThrow();
  });
});

describe("AddressAllocator", () => {
  it("never hands out an address twice, across any sequence of allocations, releases and rebuilds", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constant("alloc" as const), fc.constant("rebuild" as const), fc.nat(300)), { maxLength: 300 }), (ops) => {
      const block = parseCidr("127.244.3.0/24");
      const held = new Set<string>();
      let a = new AddressAllocator(block);
      for (const op of ops) {
        if (op === "alloc") {
          const ip = a.allocate();
          if (ip === undefined) { expect(held.size).toBe(254); continue; }
          expect(held.has(ip)).toBe(false);
          expect(cidrContains(block, ip)).toBe(true);
          expect(ip.endsWith(".0") || ip.endsWith(".255")).toBe(false);
          held.add(ip);
        } else if (op === "rebuild") {
          a = new AddressAllocator(block, held); // what a restarted controller reads off the objects
        } else {
          const victim = [...held][op % Math.max(1, held.size)];
          if (victim) { held.delete(victim); a.release(victim); }
        }
      }
    }));
  });
  it("claims a requested address only once and only inside the block", () => {
    const a = new AddressAllocator(parseCidr("127.96.0.0/12"));
    expect(a.claim("127.96.0.10")).toBe(true);
    expect(a.claim("127.96.0.10")).toBe(false);
    expect(a.claim("127.200.0.1")).toBe(false);
    expect(a.claim("127.96.0.0")).toBe(false);
  });
});

describe("BlockAllocator", () => {
  it("gives each node its own /24 of the cluster range, lowest first, until the range is spent", () => {
    const b = new BlockAllocator(parseCidr("127.244.0.0/22"), 24, ["127.244.1.0/24"]);
    expect([b.allocate(), b.allocate(), b.allocate(), b.allocate()]).toEqual(["127.244.0.0/24", "127.244.2.0/24", "127.244.3.0/24", undefined]);
    b.release("127.244.2.0/24");
    expect(b.allocate()).toBe("127.244.2.0/24");
  });
});
