/**
 * Parts that `coxswain up` runs as child processes (`--actors N`, `--api N`): the same `coxswain` entry point with
 * another subcommand, stopped with SIGTERM when `up` stops, and ending by themselves when `up` is gone (kill -9).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { named, type Stopper } from "./lifecycle.js";

/** How long a child may take to stop cleanly before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

/** Starts `coxswain <part> …args` as a child sharing this process's output; returns its stopper. */
export function startChildPart(part: string, args: string[]): { child: ChildProcess; stop: Stopper } {
  const script = process.argv[1] ?? "";
  const child = spawn(process.execPath, [...process.execArgv, script, part, ...args], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, COX_PARENT_PID: String(process.pid) },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    stop: named(`the ${part} child process (pid ${child.pid ?? "?"})`, async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }),
  };
}

/** In a child of `up` (COX_PARENT_PID set): exits once that parent is gone, so a killed `up` leaves no parts behind. */
export function exitWithParent(): void {
  const parent = Number(process.env.COX_PARENT_PID);
  if (!parent) return;
  const timer = setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM"); // orphaned: the usual clean stop
  }, 1_000);
  timer.unref();
}
