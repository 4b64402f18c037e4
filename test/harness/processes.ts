/** Running the project's own CLIs as real child processes in tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The project's root folder. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A child process with its output collected. */
export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node [nodeArgs…] bin/<cli>.js args…` with the given extra environment (node flags such as `--cpu-prof`). */
export function startCli(
  cli: "coxswain" | "coxctl", args: string[], env: Record<string, string | undefined> = {}, nodeArgs: string[] = [], opts: ScriptOptions = {},
): RunningProcess {
  return startScript(`bin/${cli}.js`, args, env, nodeArgs, opts);
}

/** How to start a script's process. */
export interface ScriptOptions {
  /** In a process group of its own (its pid is the group's id), as a terminal starts a foreground job. */
  ownGroup?: boolean;
}

/** Starts `node [nodeArgs…] <script> args…` (`script` from the project's root) with the given extra environment. */
export function startScript(
  script: string, args: string[], env: Record<string, string | undefined> = {}, nodeArgs: string[] = [], opts: ScriptOptions = {},
): RunningProcess {
  const child = spawn(process.execPath, [...nodeArgs, `${ROOT}${script}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, NATS_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.ownGroup === true,
  });
  let out = "";
  const waiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) if (w.test(out)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor(text, timeoutMs = 30_000) {
      const test = (s: string) => (typeof text === "string" ? s.includes(text) : text.test(s));
      if (test(out)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}; output:\n${out}`)), timeoutMs);
        waiters.push({ test, resolve: () => { clearTimeout(timer); resolve(); } });
        void exited.then(() => { clearTimeout(timer); if (!test(out)) reject(new Error(`process exited before ${String(text)}; output:\n${out}`)); });
      });
    },
  };
}
