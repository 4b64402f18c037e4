/** The string table returns equal values and stays within its bound. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StringTable } from "./internTable.js";

describe("StringTable", () => {
  it("gives back an equal string for every value and never holds more than its bound", () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (values, max) => {
      const table = new StringTable(max);
      for (const v of values) {
        expect(table.get(`${v}`)).toBe(v);
        expect(table.size).toBeLessThanOrEqual(max);
      }
    }));
  });
});
