/** The system's parts as real `coxswain` child processes for a benchmark, optionally under node's `--cpu-prof`. */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { ROOT } from "../test/harness/processes.js";

/** A child process with its output collected (the shape of test/harness/processes.ts, plus node flags). */
export interface RunningProcess {
  child: ReturnType<typeof spawn>;
  output(): string;
  waitFor(text: string | RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node [nodeArgs…] bin/coxswain.js args…` (NODE_OPTIONS refuses --cpu-prof, hence the flags here). */
export function startCoxswain(args: string[], nodeArgs: string[] = []): RunningProcess {
  const child = spawn(process.execPath, [...nodeArgs, `${ROOT}bin/coxswain.js`, ...args], {
    cwd: ROOT, env: { ...process.env, NATS_URL: "" }, stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => { out += chunk.toString(); for (const w of [...waiters]) w(); };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const waitFor = (text: string | RegExp, timeoutMs: number) => new Promise<void>((resolve, reject) => {
    const test = () => (typeof text === "string" ? out.includes(text) : text.test(out));
    if (test()) return resolve();
    const done = (err?: Error) => { clearTimeout(timer); waiters.delete(check); if (err) reject(err); else resolve(); };
    const check = () => { if (test()) done(); };
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${String(text)}; output:\n${out}`)), timeoutMs);
    waiters.add(check);
    void exited.then(() => { if (!test()) done(new Error(`process exited before ${String(text)}; output:\n${out}`)); });
  });
  return { child, output: () => out, waitFor, exited };
}

/** A started part, its name (the profile's file name) and how to stop it. */
export interface BenchPart {
  name: string;
  proc: RunningProcess;
  pid: number;
  /** SIGTERM and wait for the exit (a clean exit writes the CPU profile). */
  stop(): Promise<void>;
}

/**
 * Starts `coxswain <args…> --nats url --prefix prefix` and waits for `ready` (up to `readyTimeoutMs`, default 2 min;
 * on a timeout the process is killed); with `profileDir`, under `--cpu-prof`.
 */
export async function startBenchPart(
  name: string, url: string, prefix: string, args: string[], ready: string | RegExp, profileDir?: string, readyTimeoutMs = 120_000,
): Promise<BenchPart> {
  // One folder per part: the main thread and tsx's loader thread each write a profile there.
  const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}/${name}`] : [];
  const proc = startCoxswain([...args, "--nats", url, "--prefix", prefix], nodeArgs);
  await proc.waitFor(ready, readyTimeoutMs).catch((err: unknown) => {
    proc.child.kill("SIGKILL");
    throw err;
  });
  return {
    name, proc, pid: proc.child.pid ?? 0,
    async stop() {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
      proc.child.kill("SIGTERM");
      const timer = setTimeout(() => proc.child.kill("SIGKILL"), 20_000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

/** The resident set size of a process in bytes (Linux /proc), or NaN. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Resolves when `check` returns true, polling every `everyMs`; rejects after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100, what = "condition"): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Rounds to `digits` decimals. Pure. */
export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Wall-clock milliseconds with sub-millisecond precision (comparable with the server's message timestamps). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
