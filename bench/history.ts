/**
 * bench/results/history.jsonl: one JSON line per `npm run bench`, committed to git, so that every figure quoted in
 * docs/benchmarks.md traces to a run of a named commit on a described machine. Lines are only ever appended.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { ROOT } from "../test/harness/processes.js";

/** Where the history lives. */
export const HISTORY = `${ROOT}bench/results/history.jsonl`;

/** One row of the printed table: the value, what it is compared with, and value ÷ that (✓ when the goal is met). */
export interface Row { figure: string; value: string; against: string; ratio: string }

/** The size of a run: quick (1,000 pods), full (10,000) or big (100,000); or the cluster bench (`--cluster`, its `--restart` row alone). */
export type Mode = "quick" | "full" | "big" | "cluster" | "restart";

/** The machine a run measured, as far as it explains the figures. */
export interface Machine { cores: number; model: string; memoryGiB: number; node: string; loadAverage: number[] }

/** One line of the history. `figures` holds the numbers under stable keys (see docs/benchmarks.md). */
export interface HistoryLine {
  at: string;
  commit: string;
  /** Tracked or untracked changes outside bench/results/ when the run started: the commit alone does not say what ran. */
  dirty: boolean;
  mode: Mode;
  /** Set when only some figures ran (`--network`: "9 service proxy"). */
  only?: string;
  /** How the parts ran: the compiled JavaScript (as installed; from this field's first line on) or tsx (before). */
  parts?: "compiled" | "tsx";
  /** Load average (1, 5, 15 min) when the run started is in `machine`; this is at its end. */
  machine: Machine;
  loadAverageAtEnd?: number[];
  seconds: number;
  /** False when the deadline cut the run short (its figures say how far it got). */
  complete: boolean;
  /** What the deadlines cut short or what failed, when `complete` is false. */
  cut?: string[];
  figures: Record<string, number>;
  table: Row[];
  profile?: Record<string, { busyPercent: number; top: { fn: string; where: string; percent: number }[] }>;
}

/** This machine now. */
export function machine(): Machine {
  return {
    cores: cpus().length, model: cpus()[0]?.model ?? "", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The checked-out commit and whether the tree differs from it (bench/results/ aside); "unknown" outside git. */
export function gitState(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    return { commit: git("rev-parse", "HEAD"), dirty: git("status", "--porcelain", "--", ".", ":(exclude)bench/results").length > 0 };
  } catch {
    return { commit: "unknown", dirty: true };
  }
}

/** Appends one line to the history file. */
export function appendHistory(line: HistoryLine, file = HISTORY): void {
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** Every well-formed line of the history, oldest first (a damaged line is skipped, not fatal). */
export function readHistory(file = HISTORY): HistoryLine[] {
  if (!existsSync(file)) return [];
  return parseHistory(readFileSync(file, "utf8"));
}

/** The lines of a history file's text that parse as runs. Pure. */
export function parseHistory(text: string): HistoryLine[] {
  return text.split("\n").flatMap((l) => {
    if (!l.trim()) return [];
    try {
      const x = JSON.parse(l) as Partial<HistoryLine>;
      return x && typeof x.figures === "object" && typeof x.commit === "string" ? [x as HistoryLine] : [];
    } catch {
      return [];
    }
  });
}
