/**
 * `kubectl attach` (and `kubectl run -i`) on the process runtime. A container with `stdin: true` reads a FIFO in its
 * folder, which the agent holds open for writing (a container with `tty` too runs on a pseudo-terminal, execProcess.ts);
 * an attach writes its input there and follows the container's output files from where they stand. With
 * `stdinOnce`, the first attach's end of input is the container's too.
 */
import { execFileSync } from "node:child_process";
import { closeSync, fstatSync, openSync, readSync, statSync, write } from "node:fs";
import { join } from "node:path";
import type { ExecIO, ExecProcess } from "./runtime.js";

/** How often an attach looks for new output. */
const TAIL_MS = 50;

/** Makes the container's stdin FIFO in `dir` and opens it for writing (it never blocks); returns the descriptor. */
export function openStdin(dir: string): number {
  const fifo = join(dir, "stdin");
  if (!isFifo(fifo)) execFileSync("mkfifo", ["-m", "600", fifo]);
  return openSync(fifo, "r+");
}

/** The descriptor of an adopted container's stdin FIFO, when it has one. */
export function reopenStdin(dir: string): number | undefined {
  return isFifo(join(dir, "stdin")) ? openSync(join(dir, "stdin"), "r+") : undefined;
}

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

/** One attach's handle, and `ended` for the runtime to call when the container ends. */
export interface Attached extends ExecProcess {
  ended(): void;
}

/** Follows `dir`'s output (stderr too unless `tty`) from now and writes input to `stdin` (a descriptor). */
export function attachTo(dir: string, stdin: number | undefined, opts: { tty: boolean; closeOnEnd: () => void }, io: ExecIO): Attached {
  const files = (opts.tty ? ["stdout"] : ["stdout", "stderr"]).map((name) => {
    const path = join(dir, name);
    let fd: number | undefined;
    try {
      fd = openSync(path, "r");
    } catch {
      fd = undefined;
    }
    return { name: name as "stdout" | "stderr", fd, at: fd === undefined ? 0 : fstatSync(fd).size };
  });
  const buffer = Buffer.alloc(64 * 1024);
  const drain = () => {
    for (const f of files) {
      if (f.fd === undefined) continue;
      for (;;) {
        const n = readSync(f.fd, buffer, 0, buffer.length, f.at);
        if (n <= 0) break;
        f.at += n;
        io.output(f.name, Buffer.from(buffer.subarray(0, n)));
        if (paused) return;
      }
    }
  };
  let paused = false;
  let over = false;
  const timer = setInterval(() => void (!paused && drain()), TAIL_MS);
  const stop = () => {
    if (over) return false;
    over = true;
    clearInterval(timer);
    for (const f of files) if (f.fd !== undefined) closeSync(f.fd);
    return true;
  };
  return {
    write: (data) => new Promise<void>((resolve) => (stdin === undefined || over ? resolve() : write(stdin, data, () => resolve()))),
    closeStdin: opts.closeOnEnd,
    pause: () => { paused = true; },
    resume: () => { paused = false; },
    kill: () => void stop(),
    ended: () => {
      paused = false;
      if (!over) drain();
      if (stop()) io.exited({ exitCode: 0 });
    },
  };
}
