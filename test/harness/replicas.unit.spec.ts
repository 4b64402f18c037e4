import { describe, expect, it } from "vitest";
import { firstDisagreement, sampleSequences } from "./replicas.js";

describe("replica comparison of the fault specs", () => {
  it("finds no disagreement when every replica that answers holds the same message, or a lagging one holds none", () => {
    expect(firstDisagreement([
      { seq: 1, answers: ["ev.a#11", "ev.a#11", "ev.a#11"] },
      { seq: 2, answers: ["ev.b#22", "ev.b#22"] },
      { seq: 3, answers: [] },
    ])).toBeNull();
  });

  it("names the first sequence that two replicas hold differently, with how often each was read", () => {
    expect(firstDisagreement([
      { seq: 5, answers: ["ev.a#11", "ev.a#11"] },
      { seq: 9, answers: ["ev.c#33", "ev.d#44", "ev.c#33"] },
      { seq: 12, answers: ["ev.e#55", "ev.f#66"] },
    ])).toBe("sequence 9 reads as ev.c#33 (×2) and as ev.d#44 (×1)");
  });

  it("samples the whole stream and its last sequences, each once, in order", () => {
    const s = sampleSequences(1000, 10);
    expect(s[0]).toBe(100);
    expect(s.at(-1)).toBe(1000);
    expect(s).toContain(992);
    expect(new Set(s).size).toBe(s.length);
    expect([...s].sort((a, b) => a - b)).toEqual(s);
    expect(sampleSequences(3, 48)).toEqual([1, 2, 3]);
  });
});
