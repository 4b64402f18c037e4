import { describe, expect, it } from "vitest";
import { growthTable, pairedGrowth, runsBySize } from "../../bench/growth.js";
import { parseHistory, type HistoryLine } from "../../bench/history.js";

const run = (commit: string, pods: number, podsPerSec: number, at = "2026-12-02T10:00:00Z"): HistoryLine => ({
  at, commit, dirty: false, mode: pods === 1_000 ? "quick" : pods === 10_000 ? "full" : "big",
  machine: { cores: 2, model: "x", memoryGiB: 24, node: "v20", loadAverage: [1, 1, 1] },
  seconds: 1, complete: true, figures: { "scaleUp.pods": pods, "scaleUp.podsPerSec": podsPerSec }, table: [],
});

describe("growth across cluster sizes", () => {
  it("takes each size from the given commit where it was run, else the newest run of that size", () => {
    const lines = [run("aaaaaaa1", 1_000, 300), run("bbbbbbb2", 1_000, 250), run("aaaaaaa1", 10_000, 200), run("ccccccc3", 10_000, 150)];
    const bySize = runsBySize(lines, "aaaaaaa1");
    expect(bySize.get(1_000)?.figures["scaleUp.podsPerSec"]).toBe(300);
    expect(bySize.get(10_000)?.figures["scaleUp.podsPerSec"]).toBe(200);
    expect(runsBySize(lines, "zzzz").get(10_000)?.commit).toBe("ccccccc3");
    expect(bySize.has(100_000)).toBe(false);
  });

  it("prints each figure per size and the factor from one size to the next", () => {
    const table = growthTable([run("aaaaaaa1", 1_000, 400), run("aaaaaaa1", 10_000, 200), run("aaaaaaa1", 100_000, 100)], "aaaaaaa1");
    const row = table.split("\n").find((l) => l.startsWith("| scale-up pods/s"));
    expect(row).toBe("| scale-up pods/s | 400 | 200 | 100 | ×0.50 | ×0.50 |");
    expect(table).toContain("| run | aaaaaaa 2026-12-02 |");
  });

  it("shows a size that was never run as a gap", () => {
    const row = growthTable([run("aaaaaaa1", 10_000, 200)], "aaaaaaa1").split("\n").find((l) => l.startsWith("| scale-up pods/s"));
    expect(row).toBe("| scale-up pods/s | — | 200 | — | — | — |");
  });
});

describe("the big scale-up beside its full-size pair", () => {
  it("compares the big run with the mean of the pair run before and after it", () => {
    const g = pairedGrowth({ podsPerSec: 480, cpuMsPerPod: 3.3 }, [{ podsPerSec: 700, cpuMsPerPod: 2.8 }, { podsPerSec: 500, cpuMsPerPod: 3.2 }]);
    expect(g).toEqual({ pairRuns: 2, pairPodsPerSec: 600, pairCpuMsPerPod: 3, podsPerSecShare: 0.8, podsPerSecShareLow: 0.686, cpuFactor: 1.1 });
  });

  it("leaves out a pair run without a rate or a cost, and gives nothing without any", () => {
    const g = pairedGrowth({ podsPerSec: 300, cpuMsPerPod: 3 }, [{ podsPerSec: 0, cpuMsPerPod: 2 }, { podsPerSec: 400, cpuMsPerPod: Number.NaN }, { podsPerSec: 500, cpuMsPerPod: 2.5 }]);
    expect(g?.pairRuns).toBe(1);
    expect(g?.podsPerSecShare).toBe(0.6);
    expect(pairedGrowth({ podsPerSec: 300, cpuMsPerPod: 3 }, [])).toBeUndefined();
  });
});

describe("history lines", () => {
  it("skips blank and damaged lines and keeps the runs", () => {
    const text = `${JSON.stringify(run("aaaaaaa1", 1_000, 1))}\n\n{not json\n{"figures":{}}\n${JSON.stringify(run("bbbbbbb2", 1_000, 2))}\n`;
    expect(parseHistory(text).map((l) => l.commit)).toEqual(["aaaaaaa1", "bbbbbbb2"]);
  });
});
