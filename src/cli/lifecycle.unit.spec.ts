import { describe, expect, it } from "vitest";
import { named, runStoppers, type Stopper } from "./lifecycle.js";

describe("runStoppers", () => {
  it("runs the stoppers last-first, and says what a long stop waits for until it is done", async () => {
    const order: string[] = [];
    const said: string[] = [];
    let sayNext: () => void = () => undefined;
    const saidOnce = new Promise<void>((resolve) => (sayNext = resolve));
    // The slow step ends once the stop has said it waits for it: no fixed wait.
    const slow = named("the node agents: their containers", async () => {
      await saidOnce;
      order.push("slow");
    });
    const first: Stopper = () => void order.push("first");
    const last = named("the server", () => void order.push("last"));
    const failed = await runStoppers([first, slow, last], (line) => { said.push(line); sayNext(); }, 20);
    expect(failed).toBe(false);
    expect(order).toEqual(["last", "slow", "first"]);
    expect(said[0]).toMatch(/^ {2}… still stopping after \d+ s: the node agents: their containers$/);
  });

  it("says nothing when the stop is quick, and goes on past a stopper that fails", async () => {
    const said: string[] = [];
    const ran: string[] = [];
    const failed = await runStoppers([() => void ran.push("a"), () => { throw new Error("boom"); }], (line) => said.push(line), 60_000);
    expect({ failed, ran, said }).toEqual({ failed: true, ran: ["a"], said: [] });
  });
});
