/** Durations as coxctl's flags take them, in kubectl's habits. */
import { CoxctlError } from "./errors.js";

/** `500ms`, `2s`, `1m`, `1h` (a bare number is seconds) in milliseconds. Pure. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CoxctlError(`"${text}" is not a duration such as 500ms, 2s or 1m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}
