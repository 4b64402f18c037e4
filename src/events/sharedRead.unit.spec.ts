/** Shared reads: every caller sees the writes made before it asked, and callers share reads. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SharedRead, SharedReads } from "./sharedRead.js";

/** A store whose reads answer the version as it was when the read started, once the test lets them finish. */
class SlowStore {
  version = 0;
  reads = 0;
  inFlight = 0;
  mostInFlight = 0;
  private readonly waiting: (() => void)[] = [];

  read = (): Promise<number> => {
    const seen = this.version;
    this.reads++;
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    return new Promise((resolve) => this.waiting.push(() => { this.inFlight--; resolve(seen); }));
  };

  /** Ends the oldest read in flight; false when none is. */
  finishOne(): boolean {
    const next = this.waiting.shift();
    next?.();
    return next !== undefined;
  }
}

const settle = () => new Promise((r) => setImmediate(r));

describe("SharedRead", () => {
  it("answers every caller with a read started after it asked, one read in flight at a time", async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom("write", "ask", "finish"), { maxLength: 60 }), async (steps) => {
      const store = new SlowStore();
      const shared = new SharedRead(store.read);
      const asked: { atVersion: number; got: Promise<number> }[] = [];
      for (const step of steps) {
        if (step === "write") store.version++;
        else if (step === "ask") asked.push({ atVersion: store.version, got: shared.get() });
        else store.finishOne();
        await settle();
      }
      while (store.finishOne()) await settle();
      for (const a of asked) expect(await a.got).toBeGreaterThanOrEqual(a.atVersion);
      expect(store.mostInFlight).toBeLessThanOrEqual(1);
    }));
  });

  it("serves many callers that arrive during one read with one more read", async () => {
    const store = new SlowStore();
    const shared = new SharedRead(store.read);
    const first = shared.get();
    store.version = 7;
    const later = Array.from({ length: 50 }, () => shared.get());
    store.finishOne();
    expect(await first).toBe(0);
    await settle();
    store.finishOne();
    expect(await Promise.all(later)).toEqual(later.map(() => 7));
    expect(store.reads).toBe(2);
  });

  it("starts afresh after a failed read, and the callers of the failed one see its error", async () => {
    let fail = true;
    const shared = new SharedRead(() => (fail ? Promise.reject(new Error("down")) : Promise.resolve(1)));
    await expect(shared.get()).rejects.toThrow("down");
    fail = false;
    await expect(shared.get()).resolves.toBe(1);
  });
});

describe("SharedReads", () => {
  it("keeps one shared read per key", async () => {
    const asked: string[] = [];
    const reads = new SharedReads(async (key) => { asked.push(key); return key.length; });
    expect(await Promise.all([reads.get("a"), reads.get("bb"), reads.get("a")])).toEqual([1, 2, 1]);
    expect(asked.sort()).toEqual(["a", "a", "bb"]);
  });
});
