import { afterEach, describe, expect, it, vi } from "vitest";
import { named, runStoppers, STOP_PROGRESS_MS, type Stopper } from "./lifecycle.js";

describe("runStoppers", () => {
  afterEach(() => void vi.useRealTimers());

  it("runs the stoppers last-first, says every STOP_PROGRESS_MS what a long stop waits for, and stops saying it", async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    const said: string[] = [];
    let finish: () => void = () => undefined;
    const slow = named("the node agents", () => new Promise<void>((resolve) => (finish = () => { order.push("slow"); resolve(); })));
    const first: Stopper = () => void order.push("first");
    const last = named("the server", () => void order.push("last"));
    const done = runStoppers([first, slow, last], (line) => said.push(line));
    await vi.advanceTimersByTimeAsync(2 * STOP_PROGRESS_MS);
    expect(said).toEqual(["  … still stopping after 2 s: the node agents", "  … still stopping after 4 s: the node agents"]);
    finish();
    expect(await done).toBe(false);
    expect(order).toEqual(["last", "slow", "first"]);
    expect(vi.getTimerCount()).toBe(0); // the ticker is gone
  });

  it("says nothing when the stop is quick, goes on past a stopper that fails, and leaves no timer", async () => {
    vi.useFakeTimers();
    const said: string[] = [];
    const ran: string[] = [];
    const failed = await runStoppers([() => void ran.push("a"), () => { throw new Error("boom"); }], (line) => said.push(line));
    expect({ failed, ran, said, timers: vi.getTimerCount() }).toEqual({ failed: true, ran: ["a"], said: [], timers: 0 });
  });

  it("names a stopper without changing the function it was given", () => {
    const stop = () => undefined;
    const a = named("a", stop);
    const b = named("b", stop);
    expect([a.what, b.what, (stop as Stopper).what]).toEqual(["a", "b", undefined]);
  });
});
