/**
 * How each size-dependent figure grows from 1,000 to 10,000 to 100,000 pods (quick, full, --big), read from the
 * history: for each size, the newest run of that size from the given commit, or else the newest run of that size
 * from any commit (its commit is shown, so a mixed table says so). Pure.
 */
import type { HistoryLine } from "./history.js";
import { round } from "./parts.js";

/** The cluster sizes of quick, full and big runs, in pods. */
export const GROWTH_SIZES = [1_000, 10_000, 100_000] as const;

/** The figures that depend on the size of the cluster, by their key in `HistoryLine.figures`. */
export const GROWTH_FIGURES: readonly { key: string; label: string }[] = [
  { key: "scaleUp.podsPerSec", label: "scale-up pods/s" },
  { key: "scaleUp.ceilingShare", label: "scale-up events/s ÷ pipelined ceiling" },
  { key: "scaleUp.eventsPerPod", label: "events per pod" },
  { key: "cpuPerPod.totalMs", label: "CPU ms per pod, all processes with nats-server" },
  { key: "watchLag.p99ms", label: "watch lag p99 (ms)" },
  { key: "commandDuringScaleUp.p99ms", label: "command p99 at 1,000/s during the scale-up (ms)" },
  { key: "rss.totalMiB", label: "RSS of the four parts (MiB)" },
  { key: "pss.totalMiB", label: "PSS of the four parts (MiB)" },
  { key: "readModel.bytesPerPod", label: "read model bytes per pod" },
];

/** For each size, the run that speaks for it (see the file's header), oldest lines first in `lines`. Pure. */
export function runsBySize(lines: readonly HistoryLine[], commit: string): Map<number, HistoryLine> {
  const out = new Map<number, HistoryLine>();
  for (const size of GROWTH_SIZES) {
    const ofSize = lines.filter((l) => l.figures["scaleUp.pods"] === size);
    const pick = ofSize.findLast((l) => l.commit === commit) ?? ofSize.at(-1);
    if (pick) out.set(size, pick);
  }
  return out;
}

/** The growth table in Markdown: a column per size, and the factor from each size to the next. Pure. */
export function growthTable(lines: readonly HistoryLine[], commit: string): string {
  const runs = runsBySize(lines, commit);
  const cell = (size: number, key: string) => runs.get(size)?.figures[key];
  const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "—" : String(x));
  const factor = (a: number | undefined, b: number | undefined) => (a && b !== undefined && !Number.isNaN(b) ? `×${(b / a).toFixed(2)}` : "—");
  const source = (size: number) => {
    const r = runs.get(size);
    return r ? `${r.commit.slice(0, 7)}${r.dirty ? "+" : ""} ${r.at.slice(0, 10)}${r.complete ? "" : " (deadline)"}` : "not run";
  };
  const [s1, s2, s3] = GROWTH_SIZES;
  const rows = [
    ["figure", ...GROWTH_SIZES.map((s) => `${s.toLocaleString("en")} pods`), "1k → 10k", "10k → 100k"],
    ["run", ...GROWTH_SIZES.map(source), "", ""],
    ...GROWTH_FIGURES.map(({ key, label }) => [
      label, ...GROWTH_SIZES.map((s) => fmt(cell(s, key))), factor(cell(s1, key), cell(s2, key)), factor(cell(s2, key), cell(s3, key)),
    ]),
  ];
  const line = (r: string[]) => `| ${r.join(" | ")} |`;
  return [line(rows[0] ?? []), line((rows[0] ?? []).map(() => "---")), ...rows.slice(1).map(line)].join("\n");
}

/** A scale-up's rate and its CPU per pod (all processes with nats-server). */
export interface ScaleUpCost {
  podsPerSec: number;
  cpuMsPerPod: number;
}

/** The big scale-up beside the full-size ones run in the same run (`pair`), and how it compares with their mean. */
export interface PairedGrowth {
  pairRuns: number;
  pairPodsPerSec: number;
  pairCpuMsPerPod: number;
  /** The big scale-up's pods/s as a share of the pair's mean (the goal: ≥ 0.8, within 20 %). */
  podsPerSecShare: number;
  /** The same share against the faster of the pair's runs alone: the least favourable reading. */
  podsPerSecShareLow: number;
  /** Its CPU per pod as a factor of the pair's mean (1: flat as the cluster grows). */
  cpuFactor: number;
}

/**
 * `big` against the mean of the full-size scale-ups run just before and after it in the same run: this machine's
 * speed drifts by ×1.5 from one hour to the next, so a ratio of runs from different hours measures the hour. Runs
 * without a rate or a cost are left out; undefined when none is left. Pure.
 */
export function pairedGrowth(big: ScaleUpCost, pair: readonly ScaleUpCost[]): PairedGrowth | undefined {
  const usable = pair.filter((p) => p.podsPerSec > 0 && p.cpuMsPerPod > 0);
  if (usable.length === 0) return undefined;
  const mean = (f: (p: ScaleUpCost) => number) => usable.reduce((a, p) => a + f(p), 0) / usable.length;
  const podsPerSec = mean((p) => p.podsPerSec);
  const cpuMsPerPod = mean((p) => p.cpuMsPerPod);
  return {
    pairRuns: usable.length, pairPodsPerSec: round(podsPerSec, 1), pairCpuMsPerPod: round(cpuMsPerPod, 2),
    podsPerSecShare: round(big.podsPerSec / podsPerSec, 3), podsPerSecShareLow: round(big.podsPerSec / Math.max(...usable.map((p) => p.podsPerSec)), 3),
    cpuFactor: round(big.cpuMsPerPod / cpuMsPerPod, 3),
  };
}
