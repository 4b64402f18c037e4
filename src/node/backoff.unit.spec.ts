import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff.js";

describe("backoffDelayMs (pure)", () => {
  it("doubles from the first wait up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelayMs(n, { initialMs: 250, maxMs: 5_000 }))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it("waits the cap for a failure count that is unbounded (a refusal that waits longest)", () => {
    expect(backoffDelayMs(Infinity, { initialMs: 10, maxMs: 1_000 })).toBe(1_000);
  });
});
