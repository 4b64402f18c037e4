import { describe, expect, it } from "vitest";
import { startLoop } from "./loop.js";

const until = async (check: () => boolean, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("a level-triggered loop", () => {
  it("runs a first round, then one more round for any number of pokes during a round", async () => {
    let rounds = 0;
    let release: () => void = () => undefined;
    const loop = startLoop({
      name: "t", resyncMs: 60_000,
      reconcile: () => new Promise<void>((r) => {
        rounds++;
        release = r;
      }),
    });
    await until(() => rounds === 1);
    loop.poke();
    loop.poke();
    loop.poke();
    release();
    await until(() => rounds === 2);
    release();
    await new Promise((r) => setTimeout(r, 30));
    expect(rounds).toBe(2);
    await loop.stop();
  });

  it("resyncs periodically and keeps going after a failing round", async () => {
    let rounds = 0;
    const loop = startLoop({ name: "t", resyncMs: 10, reconcile: async () => {
      rounds++;
      throw new Error("boom");
    } });
    await until(() => rounds >= 3);
    await loop.stop();
    const after = rounds;
    await new Promise((r) => setTimeout(r, 40));
    expect(rounds).toBe(after);
  });
});
