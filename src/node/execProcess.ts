/**
 * `kubectl exec` on the process runtime: the command runs on this host with its container's variables, in its
 * container's folder, as a child of the agent (it ends with the session). With a terminal (`-t`) it runs under
 * util-linux `script`, which gives it a pseudo-terminal (so a shell prompts and echoes); without `script` it runs on
 * pipes, with stderr joined to stdout as a terminal would. A client's new window size is set on that terminal
 * (terminalResize.ts).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { resolveCommand } from "./containerProcess.js";
import { written } from "../podStreams/link.js";
import type { ExecIO, ExecOptions, ExecProcess } from "./runtime.js";
import { TerminalResizer, terminalOf } from "./terminalResize.js";

const SCRIPT = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));

/** True when `underTerminal` gives a pseudo-terminal here (util-linux `script` is installed). */
export const GIVES_TERMINALS = SCRIPT !== undefined;

/** A word quoted for `sh -c`. Pure. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `argv` run on a pseudo-terminal of util-linux `script` (itself when there is no `script`). Pure. */
export function underTerminal(argv: readonly string[]): string[] {
  return SCRIPT ? [SCRIPT, "-q", "-f", "-e", "-c", argv.map(shellQuote).join(" "), "/dev/null"] : [...argv];
}

/** Starts `opts.command` in `cwd` with `env`; reports to `io`. */
export function startExec(opts: ExecOptions, env: Record<string, string>, cwd: string, io: ExecIO): ExecProcess {
  let reported = false;
  const exited = (result: { exitCode: number } | { error: string }) => {
    if (reported) return;
    reported = true;
    io.exited(result);
  };
  const resolved = resolveCommand(opts.command[0] ?? "", env.PATH, cwd);
  if ("error" in resolved) {
    queueMicrotask(() => exited(resolved));
    return { write: () => undefined, pause: () => undefined, resume: () => undefined, closeStdin: () => undefined, kill: () => undefined };
  }
  const argv = [resolved.path, ...opts.command.slice(1)];
  const [file = "", ...args] = opts.tty ? underTerminal(argv) : argv;
  const child = spawn(file, args, { cwd, env: { ...env, ...(opts.tty ? { TERM: env.TERM ?? "xterm" } : {}) }, stdio: ["pipe", "pipe", "pipe"], detached: true });
  child.stdout.on("data", (d: Buffer) => io.output("stdout", d));
  child.stderr.on("data", (d: Buffer) => io.output(opts.tty ? "stdout" : "stderr", d));
  child.stdin.on("error", () => undefined); // a command that ignores its input and ends: its stdin's pipe breaks
  if (!opts.stdin) child.stdin.end();
  const pid = child.pid;
  const terminal = opts.tty && GIVES_TERMINALS && pid !== undefined ? new TerminalResizer(() => terminalOf(pid)) : undefined;
  child.once("error", (err) => exited({ error: err.message }));
  child.once("exit", () => terminal?.stop()); // its pid may be another process's from now on
  child.once("close", (code, signal) => exited({ exitCode: code ?? 128 + signalNumber(signal) }));
  return {
    write: (data) => written(child.stdin, data),
    pause: () => {
      child.stdout.pause();
      child.stderr.pause();
    },
    resume: () => {
      child.stdout.resume();
      child.stderr.resume();
    },
    closeStdin: () => void child.stdin.end(),
    resize: (size) => terminal?.resize(size),
    // The whole group, even once its leader has ended: a child it left in the background may hold the output open.
    kill: () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is gone
      }
    },
  };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? constants.signals[signal] : 0;
}
