/**
 * A request's `timeout` query parameter, as kube-apiserver reads it (client-go sends it for kubectl's
 * `--request-timeout`): a Go duration (`30s`, `1m30s`, `500ms`). A write waits that long for its command's reply, and
 * the command carries it to the actor host (`Cox-Timeout`), which does not run it once its caller has stopped waiting.
 */
import { StatusError } from "../api/status.js";

/** The longest a request may ask to wait: kube-apiserver's default `--request-timeout`. */
export const MAX_REQUEST_TIMEOUT_MS = 60_000;

/** Milliseconds per unit of a Go duration. */
const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go duration (`time.ParseDuration`) in ms; NaN when it is not one. Pure. */
export function goDurationMs(text: string): number {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s.startsWith("-") ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return NaN;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m || m[1] === "" || m[1] === ".") return NaN;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return sign * total;
}

/**
 * How long a write waits, from its `timeout` parameter (`value`; null: not given): undefined (the server's default)
 * when absent, zero or negative, at most MAX_REQUEST_TIMEOUT_MS, and a BadRequest in kube-apiserver's words when
 * it is no duration. Pure.
 */
export function requestTimeoutOf(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  const ms = goDurationMs(value);
  if (Number.isNaN(ms)) throw new StatusError("BadRequest", `invalid timeout specified in the request URL - time: invalid duration ${JSON.stringify(value)}`);
  if (ms <= 0) return undefined;
  return Math.min(Math.ceil(ms), MAX_REQUEST_TIMEOUT_MS);
}
