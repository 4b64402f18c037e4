/**
 * A CronJob's schedule as Kubernetes reads it (robfig/cron's standard parser): five fields (minute, hour, day of month,
 * month, day of week) or a descriptor (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
 * `@hourly`, `@every <duration>`), in the CronJob's `timeZone` (default UTC, the time zone of this controller).
 * The fields are read by `cron-parser`. Pure.
 */
import { CronExpressionParser } from "cron-parser";

const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
};

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, "µs": 0.001, ns: 0.000001 };

/** A schedule that says its times: the latest at or before a time, and the first after one (ms since the epoch). */
export interface Schedule {
  latestAtOrBefore(ms: number): number | undefined;
  nextAfter(ms: number): number | undefined;
}

/** Go's duration (`1h30m`, `90s`) in ms, or undefined. Pure. */
function goDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (DURATION_UNITS[p[2] ?? ""] ?? 0), 0);
}

/** Whether `zone` is an IANA time zone this runtime knows. Pure. */
export function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.trim() === zone && zone !== "";
  } catch {
    return false;
  }
}

/** `@every d`: every d from `origin` (the CronJob's creation), truncated to seconds as robfig's constant delay is. */
function everySchedule(ms: number, origin: number): Schedule {
  const step = Math.max(1_000, Math.floor(ms / 1_000) * 1_000);
  return {
    latestAtOrBefore: (at) => (at < origin + step ? undefined : origin + Math.floor((at - origin) / step) * step),
    nextAfter: (at) => (at < origin ? origin + step : origin + (Math.floor((at - origin) / step) + 1) * step),
  };
}

/**
 * The schedule of `text` in `timeZone`, or the apiserver's reason why it cannot be read. `origin` is where an
 * `@every` schedule counts from. Pure.
 */
export function parseSchedule(text: string, timeZone = "UTC", origin = 0): Schedule | string {
  if (text.includes("TZ")) return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
  const trimmed = text.trim();
  if (trimmed.startsWith("@every ")) {
    const ms = goDuration(trimmed.slice("@every ".length).trim());
    return ms === undefined ? `failed to parse duration ${trimmed}: invalid duration "${trimmed.slice(7).trim()}"` : everySchedule(ms, origin);
  }
  const expression = trimmed.startsWith("@") ? DESCRIPTORS[trimmed] : trimmed;
  if (expression === undefined) return `unrecognized descriptor: ${trimmed}`;
  const fields = expression.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`;
  try {
    CronExpressionParser.parse(expression, { tz: timeZone, currentDate: new Date(0) }).next();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const at = (ms: number) => CronExpressionParser.parse(expression, { tz: timeZone, currentDate: new Date(ms) });
  const tryTime = (f: () => number) => {
    try {
      return f();
    } catch {
      return undefined; // no such time (the 31st of February)
    }
  };
  return {
    latestAtOrBefore: (ms) => tryTime(() => at(ms + 1).prev().getTime()),
    nextAfter: (ms) => tryTime(() => at(ms).next().getTime()),
  };
}
