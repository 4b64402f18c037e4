import { describe, expect, it } from "vitest";
import { summariseProfile, type CpuProfile } from "../../bench/profile.js";

/** A profile of three functions: `start` for the first 10 samples, `work` for the next 20, `stop` for the last 10 (1 ms each). */
function lifeOfAPart(): CpuProfile {
  const frame = (id: number, functionName: string) => ({ id, callFrame: { functionName, url: "file:///x/part.js", lineNumber: id } });
  const samples = [...Array(10).fill(1), ...Array(20).fill(2), ...Array(10).fill(3)] as number[];
  return { nodes: [frame(1, "start"), frame(2, "work"), frame(3, "stop")], samples, timeDeltas: samples.map(() => 1_000), startTime: 5_000_000, endTime: 5_040_000 };
}

describe("profile summaries", () => {
  it("count every sample without a window, only the window's samples with one", () => {
    const whole = summariseProfile(lifeOfAPart(), 3);
    expect(whole.wallMs).toBe(40);
    expect(whole.hot.map((h) => [h.fn, h.percent])).toEqual([["work", 50], ["start", 25], ["stop", 25]]);
    // The samples are stamped at startTime + the deltas so far: 5,011,000 … 5,030,000 µs are the 20 of `work`.
    const during = summariseProfile(lifeOfAPart(), 3, { fromUs: 5_011_000, toUs: 5_030_000 });
    expect(during.wallMs).toBe(20);
    expect(during.hot.map((h) => [h.fn, h.percent])).toEqual([["work", 100]]);
  });
});
