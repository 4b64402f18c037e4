import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Fifo } from "./fifo.js";

describe("the queue's first-in first-out list", () => {
  it("gives back what was pushed, in order, across the compactions of taken elements (an array is the model)", () => {
    // Runs of pushes and shifts long enough to cross the 1,024 taken elements at which it compacts, several times.
    const op = fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 3_000 }) }), fc.record({ shift: fc.integer({ min: 1, max: 3_000 }) }));
    fc.assert(fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
      const fifo = new Fifo<number>();
      const model: number[] = [];
      let next = 0;
      for (const o of ops) {
        if ("push" in o) for (let i = 0; i < o.push; i++) { fifo.push(next); model.push(next++); }
        else for (let i = 0; i < o.shift && model.length > 0; i++) expect(fifo.shift()).toBe(model.shift());
        expect(fifo.length).toBe(model.length);
      }
      while (model.length > 0) expect(fifo.shift()).toBe(model.shift());
      expect(fifo.shift()).toBeUndefined();
    }), { numRuns: 200 });
  });
});
