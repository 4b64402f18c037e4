/**
 * A real container process that outlives its agent: started detached through a small shell wrapper that runs
 * the command in its own session (so its whole process group can be signalled), sends its output to files, and
 * writes its exit code to a file when it ends. Everything about it lives in one folder of the agent's state dir:
 *   meta.json   the launch (pod, container spec, attempt) and when it started
 *   pid         the container's pid, written by the wrapper
 *   exit        its exit code, written by the wrapper (128 + n when killed by signal n)
 *   stdout, stderr, offsets.json   its output and how much of it has been shipped
 *   stdin       a FIFO, for a container with `stdin: true` (`kubectl attach -i`, `kubectl run -i`); its input otherwise is /dev/null
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { ContainerLaunch, HookResult } from "./runtime.js";

/** The wrapper: `sh -c WRAPPER cox-wrapper <dir> <command> <args...>`. */
const WRAPPER = [
  'dir="$1"; shift',
  'src=/dev/null; [ -p "$dir/stdin" ] && src="$dir/stdin"',
  '(cd "${COX_WORKDIR:-.}" && exec setsid "$@") >>"$dir/stdout" 2>>"$dir/stderr" <"$src" &',
  "child=$!",
  'echo "$child" > "$dir/pid.tmp" && mv "$dir/pid.tmp" "$dir/pid"',
  "trap '' TERM INT HUP",
  'while :; do wait "$child"; code=$?; kill -0 "$child" 2>/dev/null || break; done',
  'echo "$code" > "$dir/exit.tmp" && mv "$dir/exit.tmp" "$dir/exit"',
].join("\n");

/** What meta.json holds. */
export interface ContainerMeta {
  launch: ContainerLaunch;
  wrapperPid?: number;
  /** The container's pid and its start time in /proc (clock ticks since boot), against pid reuse. */
  pid?: number;
  pidStartTicks?: number;
  startedAt?: string;
  /** When the agent launched this attempt (epoch ms): a termination message file older than that is not read. */
  launchedAt?: number;
  /** Hook outcomes and a liveness or startup failure, kept so that a restarted agent can still report them. */
  hooks?: HookResult[];
  probeFailure?: string;
  failedProbe?: "liveness" | "startup";
}

/** The folder of one container under `<stateDir>/containers`. Pure. */
export function containerDir(stateDir: string, podUid: string, container: string): string {
  return join(stateDir, "containers", `${podUid}_${container}`);
}

/** The folders of every container the state dir remembers. Reads the disk. */
export function listContainerDirs(stateDir: string): string[] {
  const root = join(stateDir, "containers");
  if (!existsSync(root)) return [];
  return readdirSync(root).map((d) => join(root, d));
}

/** Writes a JSON file atomically (write then rename). */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}

/** Reads a JSON file, or undefined when it is missing or unreadable. */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** The full path of `command`, or a message saying why it cannot run (in Docker's words). Reads the disk. */
export function resolveCommand(command: string, path: string | undefined, cwd: string): { path: string } | { error: string } {
  const candidates = command.includes("/")
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : (path ?? "").split(delimiter).filter((d) => d !== "").map((d) => join(d, command));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return { path: candidate };
    } catch {
      // try the next one
    }
  }
  const where = command.includes("/") ? "no such file or executable" : "executable file not found in $PATH";
  return { error: `exec: "${command}": ${where}` };
}

/** Starts the wrapper detached in `dir`; returns its pid, or an error message. */
export function spawnWrapped(dir: string, argv: string[], env: Record<string, string>, onWrapperExit: () => void): Promise<{ wrapperPid: number } | { error: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn("sh", ["-c", WRAPPER, "cox-wrapper", dir, ...argv], { cwd: dir, env, detached: true, stdio: "ignore" });
    child.once("error", (err) => resolvePromise({ error: err.message }));
    child.once("spawn", () => resolvePromise({ wrapperPid: child.pid ?? 0 }));
    child.once("exit", onWrapperExit);
    child.unref();
  });
}

/** Prepares a fresh folder for a container (removing an old one). */
export function freshDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** The pid the wrapper recorded, if any. */
export function readPid(dir: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(join(dir, "pid"), "utf8"), 10);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** When the wrapper recorded the container's pid (it starts the command right then), if it has. */
export function readStart(dir: string): Date | undefined {
  try {
    return statSync(join(dir, "pid")).mtime;
  } catch {
    return undefined;
  }
}

/** The exit code the wrapper recorded and when, if it has. */
export function readExit(dir: string): { code: number; at: Date } | undefined {
  const file = join(dir, "exit");
  try {
    const code = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isFinite(code) ? { code, at: statSync(file).mtime } : undefined;
  } catch {
    return undefined;
  }
}

/** The fields of /proc/<pid>/stat after the command name (field 3 is index 0), or undefined when the process is gone. */
export function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The process's start time (clock ticks since boot), or undefined when it is gone or a zombie. */
export function startTicks(pid: number): number | undefined {
  const f = procStat(pid);
  if (!f || f[0] === "Z") return undefined;
  return Number(f[19]);
}

/** True when `pid` runs and is the process that started at `ticks` (not a reused pid). */
export function isSameProcess(pid: number | undefined, ticks: number | undefined): boolean {
  if (pid === undefined) return false;
  const now = startTicks(pid);
  return now !== undefined && (ticks === undefined || now === ticks);
}

/** Sends `signal` to the container's process group (and to the process itself, should it have no group yet). */
export function signalContainer(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}
