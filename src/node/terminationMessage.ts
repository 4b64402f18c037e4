/**
 * A process container's termination message, as the kubelet reads it: the first 4 KiB of the file at its
 * `terminationMessagePath` (written during this attempt); with `terminationMessagePolicy: FallbackToLogsOnError`,
 * when that file is empty and the container failed, the last 80 lines / 2 KiB of its output instead. The process
 * runtime has no mount namespace, so the default path (`/dev/termination-log`) becomes a file in the container's
 * own folder; the container finds its path in `COX_TERMINATION_MESSAGE_PATH`.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import type { Container } from "../api/podSpec.js";

/** Kubernetes' default terminationMessagePath. */
export const DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";
/** The most read from the file (the pod actor keeps at most as much). */
const FILE_MAX_BYTES = 4096;
/** The most taken from the output under FallbackToLogsOnError. */
const LOG_MAX_BYTES = 2048;
const LOG_MAX_LINES = 80;

/** Where on this host the container writes its message. Pure. */
export function messagePath(container: Container, dir: string): string {
  const path = container.terminationMessagePath;
  return path === undefined || path === DEFAULT_TERMINATION_MESSAGE_PATH ? join(dir, "termination-log") : path;
}

/**
 * The termination message of the attempt that ran in `dir` and was launched at `sinceMs`, or undefined when it
 * left none. A file older than the attempt (left by an earlier one at a path of the user's) is not read. Reads the disk.
 */
export function readTerminationMessage(container: Container, dir: string, sinceMs: number, exitCode: number): string | undefined {
  const fromFile = readSlice(messagePath(container, dir), "head", FILE_MAX_BYTES, sinceMs);
  if (fromFile !== undefined && fromFile.length > 0) return fromFile;
  if (container.terminationMessagePolicy !== "FallbackToLogsOnError" || exitCode === 0) return undefined;
  const output = ["stdout", "stderr"].map((f) => readSlice(join(dir, f), "tail", LOG_MAX_BYTES, 0) ?? "").join("");
  return lastLines(output, LOG_MAX_LINES, LOG_MAX_BYTES) || undefined;
}

/** The last `maxLines` lines of `text`, then its last `maxBytes` bytes (whole characters). Pure. */
export function lastLines(text: string, maxLines: number, maxBytes: number): string {
  const lines = text.replace(/\n$/, "").split("\n");
  const kept = lines.slice(-maxLines).join("\n");
  const bytes = Buffer.from(kept, "utf8");
  return bytes.length <= maxBytes ? kept : bytes.subarray(bytes.length - maxBytes).toString("utf8").replace(/^\uFFFD+/, "");
}

/** The first or last `max` bytes of a file modified at or after `sinceMs`, or undefined. Reads the disk. */
function readSlice(file: string, end: "head" | "tail", max: number, sinceMs: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.mtimeMs < sinceMs) return undefined;
    const buf = Buffer.alloc(Math.min(max, stat.size));
    const n = readSync(fd, buf, 0, buf.length, end === "head" ? 0 : Math.max(0, stat.size - max));
    return buf.subarray(0, n).toString("utf8").replace(/^\uFFFD+|\uFFFD+$/g, ""); // a character cut at either end
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
