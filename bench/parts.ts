/** The system's parts as real `coxswain` child processes for a benchmark, optionally under node's `--cpu-prof`. */
import { readFileSync } from "node:fs";
import { startCli, type RunningProcess } from "../test/harness/processes.js";

const SHEBANG = /^#!\S*env -S (.*?)\bnode\b(.*)$/m.exec(readFileSync(new URL("../bin/coxswain.js", import.meta.url), "utf8"));

/** The node flags the installed `coxswain` command runs with: those of its `#!/usr/bin/env -S [VAR=value…] node …` line. */
export const COXSWAIN_NODE_FLAGS: readonly string[] = SHEBANG?.[2]?.trim().split(/\s+/).filter(Boolean) ?? [];

/** The environment that line sets (its `VAR=value` words before `node`). */
export const COXSWAIN_ENV: Readonly<Record<string, string>> = Object.fromEntries(
  (SHEBANG?.[1]?.trim().split(/\s+/).filter(Boolean) ?? []).map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]),
);

/**
 * Starts `node [the command's own flags] [nodeArgs…] bin/coxswain.js args…` with the environment that line sets, as the
 * installed command runs (NODE_OPTIONS refuses --cpu-prof, hence the flags here).
 */
export function startCoxswain(args: string[], nodeArgs: string[] = []): RunningProcess {
  return startCli("coxswain", args, COXSWAIN_ENV, [...COXSWAIN_NODE_FLAGS, ...nodeArgs]);
}

/** A started part, its name (the profile's file name) and how to stop it. */
export interface BenchPart {
  name: string;
  proc: RunningProcess;
  pid: number;
  /** Its Prometheus /metrics, when it said where (`metrics at …`, or the API's HTTP port). */
  metricsUrl?: string;
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
  const metricsUrl = metricsUrlOf(proc.output());
  return {
    name, proc, pid: proc.child.pid ?? 0, ...(metricsUrl ? { metricsUrl } : {}),
    async stop() {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
      proc.child.kill("SIGTERM");
      const timer = setTimeout(() => proc.child.kill("SIGKILL"), 20_000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

/** Where a part's output says its /metrics is: `metrics at <url>`, or the API's `API ready (pid N): <http url>`. Pure. */
export function metricsUrlOf(output: string): string | undefined {
  const own = /^metrics at (http:\/\/\S+)$/m.exec(output)?.[1];
  if (own) return own;
  const api = /^API ready \(pid \d+\): (http:\/\/[^\s/]+)/m.exec(output)?.[1];
  return api ? `${api}/metrics` : undefined;
}

/**
 * From now, the CPU of each part and of nats-server (`serverPid`): the function returned gives each one's ms since,
 * by name (NaN for a process gone meanwhile).
 */
export function cpuSince(parts: readonly BenchPart[], serverPid: number): () => Record<string, number> {
  const pids = [...parts.map((p) => [p.name, p.pid] as const), ["nats-server", serverPid] as const];
  const start = pids.map(([, pid]) => cpuMsOf(pid));
  return () => Object.fromEntries(pids.map(([name, pid], i) => [name, cpuMsOf(pid) - (start[i] ?? NaN)]));
}

/** CPU time (user + system) a process has used so far, all its threads, in ms, from /proc (NaN when it is gone). */
export function cpuMsOf(pid: number): number {
  return cpuMsIn(`/proc/${pid}/stat`);
}

/**
 * CPU time of a process's main thread alone (the one whose id is the process's), in ms (NaN when it is gone). The
 * rest of `cpuMsOf` ran on its other threads: in node, V8's helpers (parallel scavenges, concurrent marking and
 * sweeping, optimizing compiles) and libuv's pool (zlib, file system, DNS).
 */
export function mainThreadCpuMsOf(pid: number): number {
  return cpuMsIn(`/proc/${pid}/task/${pid}/stat`);
}

/** utime + stime of a /proc `stat` file, in ms. */
function cpuMsIn(statFile: string): number {
  try {
    // Fields after the command's closing parenthesis: state is field 3, utime 14 and stime 15 (proc(5)).
    const fields = readFileSync(statFile, "utf8").split(") ").pop()?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** The kernel's clock ticks per second for /proc times (USER_HZ: 100 on Linux). */
const CLOCK_TICKS = 100;

/** The resident set size of a process in bytes (Linux /proc), or NaN. */
export function rssOf(pid: number): number {
  return procBytes(pid, "status", /^VmRSS:\s+(\d+) kB/m);
}

/**
 * The proportional set size of a process in bytes (Linux /proc), or NaN: its resident pages, each page it shares
 * with other processes counted as its share (the node binary's ~50 MiB of code, mapped by every part, once among
 * them). Summed over processes it is the memory they hold together, which summed RSS overstates.
 */
export function pssOf(pid: number): number {
  return procBytes(pid, "smaps_rollup", /^Pss:\s+(\d+) kB/m);
}

/** A `<name>: <n> kB` line of /proc/<pid>/<file>, in bytes; NaN when the process is gone. */
function procBytes(pid: number, file: string, line: RegExp): number {
  try {
    const m = line.exec(readFileSync(`/proc/${pid}/${file}`, "utf8"));
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
