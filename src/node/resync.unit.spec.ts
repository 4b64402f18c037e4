import { afterEach, describe, expect, it, vi } from "vitest";
import { staggeredResync } from "./resync.js";

afterEach(() => vi.useRealTimers());

describe("staggeredResync", () => {
  it("resyncs every agent once per period, a slice at a time", () => {
    vi.useFakeTimers();
    const counts = new Array<number>(25).fill(0);
    const agents = counts.map((_, i) => ({ resync: () => counts[i]!++ }));
    const stop = staggeredResync(agents, 5_000);
    vi.advanceTimersByTime(1_000);
    expect(counts.filter((c) => c === 1)).toHaveLength(5);
    vi.advanceTimersByTime(4_000);
    expect(counts).toEqual(new Array(25).fill(1));
    vi.advanceTimersByTime(5_000);
    expect(counts).toEqual(new Array(25).fill(2));
    stop();
    vi.advanceTimersByTime(10_000);
    expect(counts).toEqual(new Array(25).fill(2));
  });

  it("with fewer agents than slices, one period still resyncs each once", () => {
    vi.useFakeTimers();
    const counts = [0, 0];
    const stop = staggeredResync(counts.map((_, i) => ({ resync: () => counts[i]!++ })), 60_000);
    vi.advanceTimersByTime(60_000);
    expect(counts).toEqual([1, 1]);
    stop();
  });
});
