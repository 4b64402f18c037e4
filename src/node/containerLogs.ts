/**
 * Container output into JetStream: stream `COX_LOGS` holds `<prefix>.logs.<ns>.<pod>.<container>`, one message per
 * line (header `Cox-Stream: stdout|stderr`). NATS 2.9 has no per-subject byte limit, so rotation is
 * `max_msgs_per_subject` (lines kept per container) plus `max_bytes` for the whole stream, oldest first.
 * Lines are read from the files the wrapper writes, from a persisted offset, each published with the msg id
 * `<pod uid>/<container>/<attempt>/<stream>/<byte offset>`, so an agent that re-reads after a crash duplicates nothing.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import { LOG_HEADERS, LOG_STREAM, logSubject } from "../events/logStream.js";
import { StreamPublisher } from "../events/publisher.js";
import { Streams } from "../events/streams.js";
import { readJson, writeJsonAtomic } from "./containerProcess.js";
import type { ContainerRecord } from "./runtime.js";

/** The log stream's name and rotation. */
export interface LogStreamOptions {
  prefix: string;
  /** Default COX_LOGS. */
  stream?: string;
  /** Lines kept per container; default 10,000. */
  maxMsgsPerSubject?: number;
  /** Bytes kept in all; default 256 MiB. */
  maxBytes?: number;
  /** Replicas of the stream; default 1. */
  replicas?: number;
}

/** The most read from one file in one pass. */
const READ_CHUNK = 256 * 1024;
/** A line longer than this is cut into pieces. */
const MAX_LINE = 16 * 1024;

export { logSubject };

/**
 * Creates the log stream when missing (or adds this prefix's subjects to it: it is shared by every prefix, and
 * nothing else of an existing one changes); returns the publisher the shippers write with. Does I/O.
 */
export async function openLogStream(nc: NatsConnection, opts: LogStreamOptions): Promise<StreamPublisher> {
  await (await Streams.open(nc)).ensure(opts.stream ?? LOG_STREAM, {
    subjects: [`${opts.prefix}.logs.>`], storage: "file", discard: "old",
    maxMsgsPerSubject: opts.maxMsgsPerSubject ?? 10_000, maxBytes: opts.maxBytes ?? 256 * 1024 * 1024, replicas: opts.replicas ?? 1,
  });
  return new StreamPublisher(nc);
}

type Offsets = Record<"stdout" | "stderr", number>;

/** Ships one container's output files; `ship` is called from the runtime's tick, never twice at once. */
export class LogShipper {
  private offsets: Offsets;

  constructor(private readonly publisher: StreamPublisher, private readonly prefix: string, private readonly dir: string, private readonly record: ContainerRecord) {
    this.offsets = readJson<Offsets>(join(dir, "offsets.json")) ?? { stdout: 0, stderr: 0 };
  }

  /** Publishes the complete lines written since the last call (and a trailing partial line when `final`). */
  async ship(final: boolean): Promise<void> {
    let moved = false;
    for (const stream of ["stdout", "stderr"] as const) {
      for (;;) {
        const lines = this.read(stream, final);
        if (lines.length === 0) break;
        await Promise.all(lines.map((l) => this.publish(stream, l.offset, l.text)));
        this.offsets[stream] = lines[lines.length - 1]!.end;
        moved = true;
      }
    }
    if (moved) writeJsonAtomic(join(this.dir, "offsets.json"), this.offsets);
  }

  private publish(stream: string, offset: number, text: string) {
    const r = this.record;
    return this.publisher.publish(logSubject(this.prefix, r.namespace, r.podName, r.container), text, {
      headers: { [LOG_HEADERS.stream]: stream, [LOG_HEADERS.podUid]: r.podUid, [LOG_HEADERS.attempt]: String(r.attempt) },
      msgId: `${r.podUid}/${r.container}/${r.attempt}/${stream}/${offset}`,
    });
  }

  /** The whole lines (with their byte offsets) of the file after the offset, at most one chunk. */
  private read(stream: "stdout" | "stderr", final: boolean): { offset: number; end: number; text: string }[] {
    const buf = Buffer.alloc(READ_CHUNK);
    let n = 0;
    try {
      const fd = openSync(join(this.dir, stream), "r");
      try {
        n = readSync(fd, buf, 0, READ_CHUNK, this.offsets[stream]);
      } finally {
        closeSync(fd);
      }
    } catch {
      return [];
    }
    return splitLines(buf.subarray(0, n), this.offsets[stream], final || n === READ_CHUNK);
  }
}

/** Splits bytes into lines (without the newline), each with its start and end offset; a partial tail only when `flushTail`. Pure. */
export function splitLines(bytes: Buffer, base: number, flushTail: boolean): { offset: number; end: number; text: string }[] {
  const out: { offset: number; end: number; text: string }[] = [];
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(10, start);
    const stop = nl < 0 ? bytes.length : nl;
    if (nl < 0 && !flushTail && stop - start < MAX_LINE) break;
    const cut = Math.min(stop, start + MAX_LINE);
    const next = cut === nl ? nl + 1 : cut;
    out.push({ offset: base + start, end: base + next, text: bytes.subarray(start, cut).toString("utf8") });
    start = next;
  }
  return out;
}
