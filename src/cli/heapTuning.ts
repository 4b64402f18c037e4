/**
 * How far V8 lets a `coxswain` process's old generation grow past what survived its last full collection before it
 * collects again. Left to itself V8 grows it up to 4× for a process that allocates fast, as every part does during
 * a scale-up: at 10,000 pods the four parts held 1,040 MiB of RSS for 279 MiB of live heap. At 1.5× they held
 * ~815 MiB at the same CPU per pod (docs/benchmarks.md). `COX_HEAP_GROWING_PERCENT` sets another percentage; 0 leaves
 * the choice to V8.
 * The young generation is set where the process starts, since V8 reads it only then: `bin/coxswain.js` and `npm start`
 * run node with `--max-semi-space-size=4` (8 MiB of young generation instead of 32; at 10,000 pods the four parts
 * held ~80 MiB less RSS, with no change in CPU per pod beyond the machine's noise).
 */
import { setFlagsFromString } from "node:v8";

/** The default growth: the old generation may reach 1.5× what survived the last full collection. */
export const DEFAULT_HEAP_GROWING_PERCENT = 50;

const VARIABLE = "COX_HEAP_GROWING_PERCENT";
const MAX_PERCENT = 300;

/** The percentage `env` asks for (the default when unset or empty). Pure; throws naming the variable when invalid. */
export function heapGrowingPercent(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[VARIABLE]?.trim();
  if (!raw) return DEFAULT_HEAP_GROWING_PERCENT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > MAX_PERCENT) throw new Error(`${VARIABLE} must be a whole number from 0 to ${MAX_PERCENT}, got ${JSON.stringify(raw)}`);
  return n;
}

/** Applies `heapGrowingPercent(env)` to this process's V8 (it takes effect from the next full collection). */
export function applyHeapTuning(env: Readonly<Record<string, string | undefined>> = process.env): void {
  const percent = heapGrowingPercent(env);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
