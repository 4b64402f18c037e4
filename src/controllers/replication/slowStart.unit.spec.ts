import { describe, expect, it } from "vitest";
import { batchSizes, slowStart } from "./slowStart.js";

describe("slow start", () => {
  it("doubles the batch from 1 up to the cap", () => {
    expect(batchSizes(10, 500)).toEqual([1, 2, 4, 3]);
    expect(batchSizes(10, 3)).toEqual([1, 2, 3, 3, 1]);
    expect(batchSizes(0, 5)).toEqual([]);
  });

  it("runs every item when all succeed", async () => {
    const seen: number[] = [];
    const r = await slowStart([1, 2, 3, 4, 5], 500, async (n) => (seen.push(n), true));
    expect(r).toMatchObject({ succeeded: 5, failed: 0, skipped: 0 });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it("stops after the first batch with a failure", async () => {
    const seen: number[] = [];
    // Batches: [1], [2, 3], [4, 5, 6, 7]; item 3 fails, so the third batch never runs.
    const r = await slowStart([1, 2, 3, 4, 5, 6, 7], 500, async (n) => (seen.push(n), n !== 3));
    expect(r).toMatchObject({ succeeded: 2, failed: 1, skipped: 4 });
    expect(seen.sort()).toEqual([1, 2, 3]);
  });

  it("counts a throw as a failure", async () => {
    const r = await slowStart([1], 1, async () => {
      throw new Error("boom");
    });
    expect(r).toMatchObject({ succeeded: 0, failed: 1, skipped: 0 });
  });

  it("carries the earned batch size over to the next call, and falls back to 1 after a failure", async () => {
    expect(batchSizes(10, 500, 8)).toEqual([8, 2]);
    const first = await slowStart([1, 2, 3, 4, 5, 6, 7], 500, async () => true);
    expect(first.nextBatch).toBe(8); // batches 1, 2, 4 all succeeded
    const seen: number[][] = [];
    const second = await slowStart(Array.from({ length: 20 }, (_, i) => i), 500, async (n) => (seen.push([n]), true), first.nextBatch);
    expect(second).toMatchObject({ succeeded: 20, nextBatch: 24 }); // batches 8 and 12 (what was left): twice 12
    expect((await slowStart([1, 2, 3], 500, async (n) => n !== 2, 4)).nextBatch).toBe(1);
    expect((await slowStart([1, 2, 3], 4, async () => true, 4)).nextBatch).toBe(4);
  });
});
