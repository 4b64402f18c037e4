/**
 * `kubectl attach` (and `kubectl run -i`) on the process runtime. A container with `stdin: true` reads a FIFO in its
 * folder, which the agent holds open for writing (a container with `tty` too runs on a pseudo-terminal, execProcess.ts);
 * an attach writes its input there and follows the container's output files from where they stand, and sets that
 * terminal's size to the client's window (terminalResize.ts). With `stdinOnce`, the first attach's end of input is the
 * container's too.
 */
import { execFileSync } from "node:child_process";
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
import { Socket } from "node:net";
import { join } from "node:path";
import { written } from "../podStreams/link.js";
import type { ExecIO, ExecProcess } from "./runtime.js";
import { TerminalResizer, terminalOf } from "./terminalResize.js";

/** How often an attach looks for new output. */
const TAIL_MS = 50;

/**
 * The container's stdin FIFO, held open for writing by the agent: a socket on the descriptor (opened read-write and
 * non-blocking, so opening never waits and a full pipe never blocks a thread), whose writes go out in order and whose
 * `end` flushes them before closing.
 */
export type StdinWriter = Socket;

/** Makes the container's stdin FIFO in `dir` (when missing) and opens its writer. */
export function openStdin(dir: string): StdinWriter {
  const fifo = join(dir, "stdin");
  if (!isFifo(fifo)) execFileSync("mkfifo", ["-m", "600", fifo]);
  return writerOf(fifo);
}

/** The writer of an adopted container's stdin FIFO, when it has one. */
export function reopenStdin(dir: string): StdinWriter | undefined {
  return isFifo(join(dir, "stdin")) ? writerOf(join(dir, "stdin")) : undefined;
}

function writerOf(fifo: string): StdinWriter {
  const socket = new Socket({ fd: openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK), readable: false, writable: true });
  socket.on("error", () => undefined);
  return socket;
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

/** What an attach follows and feeds. */
export interface AttachTarget {
  dir: string;
  /** Its container's stdin writer as it stands at each write (absent: closed, or the attach asked for no stdin). */
  stdin: () => StdinWriter | undefined;
  tty: boolean;
  /** The pid of the `script` whose pseudo-terminal the container runs on, when it runs on one: resizes go there. */
  terminal?: () => number | undefined;
  /** The output the client asked for. */
  stdout: boolean;
  stderr: boolean;
  /** Called when this attach's input ends (a half-close, or the client going): `stdinOnce` closes the FIFO then. */
  inputEnded: () => void;
}

/** Follows the container's output files from now (only those asked for) and writes input to its FIFO. */
export function attachTo(t: AttachTarget, io: ExecIO): Attached {
  const wanted = t.tty ? (t.stdout ? ["stdout"] : []) : [...(t.stdout ? ["stdout"] : []), ...(t.stderr ? ["stderr"] : [])];
  const files = wanted.map((name) => {
    let fd: number | undefined;
    try {
      fd = openSync(join(t.dir, name), "r");
    } catch {
      fd = undefined;
    }
    return { name: name as "stdout" | "stderr", fd, at: fd === undefined ? 0 : fstatSync(fd).size };
  });
  const buffer = Buffer.alloc(64 * 1024);
  /** Reads what is new; stops at a full window unless `final` (the container has ended: all its output goes). */
  const drain = (final: boolean) => {
    for (const f of files) {
      if (f.fd === undefined) continue;
      for (;;) {
        const n = readSync(f.fd, buffer, 0, buffer.length, f.at);
        if (n <= 0) break;
        f.at += n;
        void io.output(f.name, Buffer.from(buffer.subarray(0, n)));
        if (paused && !final) return;
      }
    }
  };
  let paused = false;
  let over = false;
  let inputDone = false;
  const endInput = () => {
    if (inputDone) return;
    inputDone = true;
    t.inputEnded();
  };
  const timer = setInterval(() => void (!paused && drain(false)), TAIL_MS);
  const pidOf = t.terminal;
  const terminal = pidOf ? new TerminalResizer(() => terminalOf(pidOf())) : undefined;
  const stop = () => {
    if (over) return false;
    over = true;
    clearInterval(timer);
    terminal?.stop();
    for (const f of files) if (f.fd !== undefined) closeSync(f.fd);
    return true;
  };
  return {
    write: async (data) => {
      const stdin = t.stdin();
      if (stdin && !over && !inputDone) await written(stdin, data);
    },
    closeStdin: endInput,
    resize: (size) => terminal?.resize(size),
    pause: () => { paused = true; },
    resume: () => { paused = false; },
    kill: () => {
      endInput();
      stop();
    },
    ended: () => {
      if (!over) drain(true);
      if (stop()) io.exited({ exitCode: 0 });
    },
  };
}
