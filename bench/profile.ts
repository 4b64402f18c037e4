/**
 * Summarises node `--cpu-prof` profiles: the functions with the most self time (where the CPU actually was),
 * by function, file and line, with their share of the profile's samples. Pure apart from reading the files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../test/harness/processes.js";

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** One line of a summary. */
export interface HotFunction { fn: string; where: string; selfMs: number; percent: number }

/**
 * A stretch of time on the profiler's clock, in µs: V8 stamps a profile's samples on the same monotonic clock as
 * `process.hrtime` (see `hrtimeUs`), so a bench can say which stretch of a part's life it measured.
 */
export interface ProfileWindow { fromUs: number; toUs: number }

/** Now on the clock a profile's `startTime` and samples are stamped on, in µs. */
export function hrtimeUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * The `top` functions by self time of one profile, and its busy (non-idle) share of wall time; with `window`, of the
 * samples taken within it only (a part's start and stop are not what a stage measured). Pure.
 */
export function summariseProfile(profile: CpuProfile, top = 10, window?: ProfileWindow): { wallMs: number; busyPercent: number; hot: HotFunction[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  let idle = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const f = byId.get(id)?.callFrame;
    if (!f) return;
    total += dt;
    if (f.functionName === "(idle)" || f.functionName === "(program)") { if (f.functionName === "(idle)") idle += dt; }
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : "";
    const key = `${f.functionName}@${where}`;
    const e = self.get(key) ?? { fn: f.functionName || "(anonymous)", where, us: 0 };
    e.us += dt;
    self.set(key, e);
  });
  const busy = total - idle;
  const hot = [...self.values()]
    .filter((e) => e.fn !== "(idle)")
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: Math.round(e.us / 1000), percent: Math.round((e.us / Math.max(busy, 1)) * 1000) / 10 }));
  return { wallMs: Math.round(total / 1000), busyPercent: Math.round((busy / Math.max(total, 1)) * 1000) / 10, hot };
}

/**
 * For each part's folder under `dir`, the summary of its busiest thread's profile (the main thread, not tsx's
 * loader), within `window` if given.
 */
export function summariseProfiles(dir: string, top = 10, window?: ProfileWindow): Record<string, ReturnType<typeof summariseProfile>> {
  const out: Record<string, ReturnType<typeof summariseProfile>> = {};
  for (const part of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const summaries = readdirSync(join(dir, part.name)).filter((n) => n.endsWith(".cpuprofile"))
      .map((f) => summariseProfile(JSON.parse(readFileSync(join(dir, part.name, f), "utf8")) as CpuProfile, top, window));
    const busiest = summaries.sort((a, b) => b.wallMs * b.busyPercent - a.wallMs * a.busyPercent)[0];
    if (busiest) out[part.name] = busiest;
  }
  return out;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  return path.startsWith(ROOT) ? relative(ROOT, path) : path.replace(/^.*node_modules\//, "");
}
