import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startLoop } from "./loop.js";

// The loop's own timers (coalescing, rests, resync) run on a fake clock: what must not happen is checked over
// simulated time, not over a short real wait.
beforeEach(() => { vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] }); });
afterEach(() => { vi.useRealTimers(); });

describe("a level-triggered loop", () => {
  it("runs a first round, then one more round for any number of pokes during a round, then nothing until the resync", async () => {
    let rounds = 0;
    let release: () => void = () => undefined;
    const loop = startLoop({
      name: "t", resyncMs: 60_000,
      reconcile: () => new Promise<void>((r) => {
        rounds++;
        release = r;
      }),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds).toBe(1);
    loop.poke();
    loop.poke();
    loop.poke();
    release();
    await vi.advanceTimersByTimeAsync(250); // the rest between two rounds in a row is at most 250 ms
    expect(rounds).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(rounds).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rounds).toBe(3);
    release();
    await loop.stop();
  });

  it("resyncs periodically and keeps going after a failing round, and runs no round after stop", async () => {
    let rounds = 0;
    const loop = startLoop({ name: "t", resyncMs: 10, reconcile: async () => {
      rounds++;
      throw new Error("boom");
    } });
    await vi.advanceTimersByTimeAsync(35);
    expect(rounds).toBeGreaterThanOrEqual(3);
    await loop.stop();
    const after = rounds;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(rounds).toBe(after);
  });
});
