/**
 * Reading a pod's log from COX_LOGS, as `kubectl logs` and `coxctl logs` see it: the lines of one container
 * instance (the current one, or the previous with `previous`), filtered by time, cut to the last `tailLines` and
 * to `limitBytes`, with RFC 3339 timestamps on demand, and, with `follow`, the new lines of a running instance as
 * they are shipped, until it is replaced (a newer attempt or another pod under the name), the caller's `until`
 * settles, or the reader is cancelled (its `signal`, `close()`, or leaving a for-await loop).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { Pod } from "../../api/pod.js";
import { StatusError } from "../../api/status.js";
import { LOG_HEADERS, LOG_STREAM, logSubject } from "../../events/logStream.js";
import { isStreamNotFound } from "../../events/streamErrors.js";
import { OrderedConsumer, type DeliveredMessage, type Delivery } from "../../events/consumers.js";
import { Streams } from "../../events/streams.js";
import { planPodLog, type InstanceChoice, type PodLogOptions, type PodLogPlan } from "./plan.js";

/** Where the logs are. */
export interface PodLogSource {
  nc: NatsConnection;
  prefix: string;
  /** Default COX_LOGS. */
  stream?: string;
}

/** How a read ends besides its own rules. */
export interface PodLogControl {
  signal?: AbortSignal;
  /**
   * A follow ends when this settles (the caller saw the container end), once the lines shipped until then are
   * read: the node agent ships a container's last lines before it reports the exit.
   */
  until?: Promise<unknown>;
  /** The clock of `sinceSeconds`; default Date.now. */
  now?: () => number;
}

/** An open log read: text chunks (whole lines, each ending in a newline, except where limitBytes cuts). */
export interface PodLogReader extends AsyncIterable<string> {
  container: string;
  /** Ends the read now (the iteration then ends). */
  close(): void;
}

/** The most bytes of backlog put in one chunk. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Checks the read (Statuses as Kubernetes answers: 400 for the container choice or a missing previous instance,
 * 422 for bad options) and opens it; nothing is read before the returned reader is iterated.
 */
export async function openPodLog(src: PodLogSource, pod: Pod, opts: PodLogOptions, control: PodLogControl = {}): Promise<PodLogReader> {
  const plan = planPodLog(pod, opts, (control.now ?? Date.now)());
  const stream = src.stream ?? LOG_STREAM;
  const subject = logSubject(src.prefix, pod.metadata.namespace ?? "default", pod.metadata.name, plan.container);
  let messages: Delivery | null = null;
  let pending = 0;
  try {
    const consumer = await OrderedConsumer.open({ nc: src.nc, stream }, { filter: subject });
    pending = await consumer.pending();
    const follows = plan.follow && "exact" in plan.instance;
    if (pending > 0 || follows) messages = await consumer.consume();
  } catch (err) {
    if (!isStreamNotFound(err)) throw new StatusError("Unavailable", `cannot read ${stream}: ${(err as Error).message}`, {}, { cause: err });
    // No node has shipped any output (simulated nodes never do): a follow shows nothing until it is ended.
    if (plan.follow) return quietFollow(plan.container, control);
  }
  const close = () => void messages?.stop();
  if (control.signal?.aborted) close();
  control.signal?.addEventListener("abort", close, { once: true });
  const progress: Progress = { lastSeq: 0, endSeq: null };
  const drainThenClose = async () => {
    progress.endSeq = await lastSequenceOf(src, stream, subject);
    if (progress.lastSeq >= progress.endSeq) close();
  };
  control.until?.then(drainThenClose, drainThenClose);
  return {
    container: plan.container,
    close,
    [Symbol.asyncIterator]: () => lines(messages, pending, plan, progress)[Symbol.asyncIterator](),
  };
}

/** A follow with nothing to read: it yields nothing, and ends when `until` settles, the signal aborts or it is closed. */
function quietFollow(container: string, control: PodLogControl): PodLogReader {
  let close = () => {};
  const ended = new Promise<void>((resolve) => { close = resolve; });
  control.signal?.addEventListener("abort", close, { once: true });
  if (control.signal?.aborted) close();
  control.until?.then(close, close);
  return {
    container,
    close,
    async *[Symbol.asyncIterator]() {
      await ended;
    },
  };
}

/** How far a follow has read, and (once its `until` settled) the last sequence it must reach. */
interface Progress {
  lastSeq: number;
  endSeq: number | null;
}

/** The stream sequence of the subject's last line (0 when none, or when the stream cannot say). */
async function lastSequenceOf(src: PodLogSource, stream: string, subject: string): Promise<number> {
  try {
    return (await (await Streams.open(src.nc)).lastMessage(stream, subject))?.sequence ?? 0;
  } catch {
    return 0;
  }
}

/** A line as the stream holds it. */
interface LogLine {
  podUid: string;
  attempt: number;
  nanos: bigint;
  text: string;
}

const utf8 = new TextDecoder();

function lineOf(m: DeliveredMessage, timestamps: boolean): LogLine {
  const nanos = m.storedNanos;
  const line = utf8.decode(m.data);
  const text = timestamps ? `${rfc3339Nano(nanos)} ${line}\n` : `${line}\n`;
  return { podUid: m.header(LOG_HEADERS.podUid) ?? "", attempt: Number(m.header(LOG_HEADERS.attempt) ?? -1), nanos, text };
}

/** `2026-12-02T10:43:34.123456789Z`. Pure. */
export function rfc3339Nano(nanos: bigint): string {
  const seconds = new Date(Number(nanos / 1_000_000_000n) * 1000).toISOString().replace(/\.\d{3}Z$/, "");
  return `${seconds}.${String(nanos % 1_000_000_000n).padStart(9, "0")}Z`;
}

/** Whether an instance's attempt may answer the choice. Pure. */
function qualifies(choice: InstanceChoice, attempt: number): boolean {
  if ("exact" in choice) return attempt === choice.exact;
  return choice.inclusive ? attempt <= choice.latestUpTo : attempt < choice.latestUpTo;
}

async function* lines(messages: Delivery | null, pending: number, plan: PodLogPlan, progress: Progress): AsyncGenerator<string> {
  if (!messages) return;
  const budget = { left: plan.limitBytes ?? Infinity };
  const exact = "exact" in plan.instance ? plan.instance.exact : null;
  try {
    const backlog = { attempt: -1, lines: [] as string[] };
    let live = pending === 0;
    for await (const m of messages) {
      progress.lastSeq = m.sequence;
      const line = lineOf(m, plan.timestamps);
      if (!live) {
        if (line.podUid === plan.podUid && qualifies(plan.instance, line.attempt) && (plan.sinceNanos === undefined || line.nanos >= plan.sinceNanos)) keep(backlog, line, plan.tailLines);
        if (m.pending > 0) continue;
        live = true;
        const tail = plan.tailLines === undefined ? 0 : Math.max(0, backlog.lines.length - plan.tailLines);
        yield* chunks(backlog.lines.slice(tail), budget);
        if (!plan.follow || exact === null || budget.left <= 0 || (progress.endSeq !== null && progress.lastSeq >= progress.endSeq)) return;
        continue;
      }
      // Following the running instance: another pod under the name, or a newer attempt, means it is gone.
      if (exact === null || line.podUid !== plan.podUid || line.attempt > exact) return;
      if (line.attempt === exact) yield* chunks([line.text], budget);
      if (budget.left <= 0 || (progress.endSeq !== null && m.sequence >= progress.endSeq)) return;
    }
  } finally {
    void messages.stop();
  }
}

/** Keeps the lines of the latest qualifying attempt, at most `tail` of them. */
function keep(backlog: { attempt: number; lines: string[] }, line: LogLine, tail: number | undefined): void {
  if (line.attempt < backlog.attempt) return;
  if (line.attempt > backlog.attempt) {
    backlog.attempt = line.attempt;
    backlog.lines = [];
  }
  backlog.lines.push(line.text);
  // Trimmed now and then, not at every line, so a long backlog costs no quadratic splicing.
  if (tail !== undefined && backlog.lines.length > tail * 2 + 64) backlog.lines.splice(0, backlog.lines.length - tail);
}

/** The lines joined into chunks of at most CHUNK_BYTES, cut where the byte budget ends. */
function* chunks(all: string[], budget: { left: number }): Generator<string> {
  let chunk = "";
  const flush = function* (): Generator<string> {
    if (chunk === "") return;
    const bytes = Buffer.byteLength(chunk);
    const out = bytes <= budget.left ? chunk : Buffer.from(chunk).subarray(0, budget.left).toString("utf8");
    budget.left -= Math.min(bytes, budget.left);
    chunk = "";
    yield out;
  };
  for (const text of all) {
    if (budget.left <= 0) return;
    chunk += text;
    if (chunk.length >= CHUNK_BYTES) yield* flush();
  }
  yield* flush();
}
