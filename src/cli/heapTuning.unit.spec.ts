/** The heap growth setting of `coxswain` processes: its default, an explicit value, 0, and refusals naming the variable. */
import { describe, expect, it } from "vitest";
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercent } from "./heapTuning.js";

describe("COX_HEAP_GROWING_PERCENT", () => {
  it("defaults to 1.5× when unset or empty, and takes a whole percentage, 0 leaving it to V8", () => {
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(50);
    expect(heapGrowingPercent({})).toBe(50);
    expect(heapGrowingPercent({ COX_HEAP_GROWING_PERCENT: " " })).toBe(50);
    expect(heapGrowingPercent({ COX_HEAP_GROWING_PERCENT: "100" })).toBe(100);
    expect(heapGrowingPercent({ COX_HEAP_GROWING_PERCENT: "0" })).toBe(0);
  });

  it("refuses what is not a whole number from 0 to 300, naming the variable", () => {
    for (const bad of ["-5", "1.5", "fifty", "301", "0x10"]) {
      expect(() => heapGrowingPercent({ COX_HEAP_GROWING_PERCENT: bad })).toThrow(/COX_HEAP_GROWING_PERCENT must be a whole number from 0 to 300/);
    }
  });
});
