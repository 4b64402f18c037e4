/**
 * A request's `timeout` query parameter, as kube-apiserver reads it (client-go sends it for kubectl's
 * `--request-timeout`): a Go duration (`30s`, `1m30s`, `500ms`). A write's commands wait no longer than that, all
 * together, for their replies, and each carries what is left of it to the actor host (`Cox-Timeout`), which does not
 * run a command once its caller has stopped waiting.
 */
import type { Resource } from "../api/kinds.js";
import { failReply } from "../api/reply.js";
import { StatusError } from "../api/status.js";
import type { CommandSender, KindRef, OutgoingCommand } from "../nats/commandClient.js";

/** The longest a request may ask to wait: kube-apiserver's default `--request-timeout`. */
export const MAX_REQUEST_TIMEOUT_MS = 60_000;

/** Nanoseconds per unit of a Go duration. */
const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
/** Go's durations are int64 nanoseconds. */
const MAX_NS = 2 ** 63;

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/**
 * A Go duration in ms, read as `time.ParseDuration` reads it (a sign, then numbers each with its unit; whole
 * nanoseconds), or its error in Go's words (`time: missing unit in duration "5"`). Pure; linear in the text.
 */
export function parseGoDuration(text: string): { ms: number } | { error: string } {
  const invalid = { error: `time: invalid duration ${JSON.stringify(text)}` };
  let i = 0;
  let sign = 1;
  if (text[0] === "-" || text[0] === "+") {
    sign = text[0] === "-" ? -1 : 1;
    i = 1;
  }
  if (text.slice(i) === "0") return { ms: 0 };
  if (i === text.length) return invalid;
  let ns = 0;
  while (i < text.length) {
    const start = i;
    while (isDigit(text[i])) i++;
    const whole = i > start;
    let fraction = false;
    if (text[i] === ".") {
      i++;
      const from = i;
      while (isDigit(text[i])) i++;
      fraction = i > from;
    }
    if (!whole && !fraction) return invalid;
    const number = Number(text.slice(start, i));
    const unitStart = i;
    while (i < text.length && text[i] !== "." && !isDigit(text[i])) i++;
    const unit = text.slice(unitStart, i);
    if (unit === "") return { error: `time: missing unit in duration ${JSON.stringify(text)}` };
    const scale = UNIT_NS[unit];
    if (scale === undefined) return { error: `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}` };
    ns += number * scale;
    if (ns >= MAX_NS) return invalid;
  }
  return { ms: (sign * Math.trunc(ns)) / 1e6 };
}

/**
 * How long a request's commands may wait, from its `timeout` parameter (`value`; null: not given): undefined (the
 * server's default) when absent, zero or negative; at most MAX_REQUEST_TIMEOUT_MS; a BadRequest in kube-apiserver's
 * words when it is no duration. Pure.
 */
export function requestTimeoutOf(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  const parsed = parseGoDuration(value);
  if ("error" in parsed) throw new StatusError("BadRequest", `invalid timeout specified in the request URL - ${parsed.error}`);
  if (parsed.ms <= 0) return undefined;
  return Math.min(Math.ceil(parsed.ms), MAX_REQUEST_TIMEOUT_MS);
}

/**
 * A sender for one request's commands that together wait at most `timeoutMs` from now: each goes out through
 * `senderFor(what is left)`, and once nothing is left a command is answered Timeout without being sent.
 */
export function untilDeadline(senderFor: (timeoutMs: number) => CommandSender, timeoutMs: number, clock: () => number = () => performance.now()): CommandSender {
  const deadline = clock() + timeoutMs;
  return {
    send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>) {
      const left = Math.ceil(deadline - clock());
      if (left > 0) return senderFor(left).send(ref, command);
      const message = `request did not complete within the requested timeout (${timeoutMs} ms): ${command.type} for ${ref.resource} "${ref.name}" was not sent`;
      return Promise.resolve(failReply(new StatusError("Timeout", message, { kind: ref.resource, name: ref.name })));
    },
  };
}
