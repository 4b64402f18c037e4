import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Deadlines } from "./deadlines.js";

beforeEach(() => { vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }); });
afterEach(() => { vi.useRealTimers(); });

describe("deadlines", () => {
  it("fires each key once at the last time it was given, and nothing after the listener stops", async () => {
    const deadlines = new Deadlines(() => performance.now());
    const fired: Array<[string, number]> = [];
    deadlines.set("early", 100); // set before anyone listens: armed when the listener comes
    const stop = deadlines.fire((key) => fired.push([key, performance.now()]));
    deadlines.set("moved", 200);
    deadlines.set("moved", 500); // a heartbeat moves the deadline: 200 no longer counts
    deadlines.set("gone", 300);
    deadlines.delete("gone");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([["early", 100], ["moved", 500]]);
    expect(deadlines.get("moved")).toBeUndefined();
    deadlines.set("late", 1_500);
    stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toHaveLength(2);
  });

  it("waits out a timer that wakes short of the controller's clock", async () => {
    let behind = 0;
    const deadlines = new Deadlines(() => performance.now() - behind);
    const fired: number[] = [];
    deadlines.fire(() => fired.push(performance.now()));
    deadlines.set("k", 10);
    behind = 1.5; // by the time the timer wakes, the controller's clock reads 1.5 ms short of the timers'
    await vi.advanceTimersByTimeAsync(10);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(5);
    expect(fired).toEqual([12]);
  });
});
