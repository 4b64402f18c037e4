/**
 * The port between a node agent and whatever runs its containers (simulated or real processes). A runtime keeps one
 * record per container of a pod (the current attempt), changes it as the container starts, runs hooks, fails
 * probes and exits, and says so through `onChange`; the agent reads the records and reports them as commands.
 */
import type { Container } from "../api/podSpec.js";
import type { TerminalSize } from "../podStreams/protocol.js";

/** What a runtime needs to start one attempt of a container. */
export interface ContainerLaunch {
  podUid: string;
  namespace: string;
  podName: string;
  container: Container;
  /** The attempt number (see `attemptOf` in reconcile.ts); part of every report id. */
  attempt: number;
  /** An init container: it runs to completion before the pod's containers start (a simulated one with no known end ends at once). */
  init?: boolean;
  /** The pod's termination grace period, used when the container is stopped without a deletion deadline. */
  graceMs: number;
  /** What the agent worked out for the process runtime: the image's entrypoint, in-cluster access, the downward API. */
  prepared?: PreparedLaunch;
  /** The pod's `spec.hostname`, when it gives one (a simulated container's host name; a process one reads its pod). */
  hostname?: string;
  /** A simulated container's variables, when some come from ConfigMaps (else its `env`'s values are all). */
  env?: Record<string, string>;
}

/** The process a container runs, as resolved from its image and its pod (see podEnvironment.ts). */
export interface PreparedLaunch {
  /** The command line (the image's entrypoint and args, or the container's own); absent: `command` + `args`. */
  argv?: string[];
  /** The folder it runs in (absolute); absent: the container's own folder. */
  workingDir?: string;
  /** Variables added to (and overriding) the container's `env`. */
  env?: Record<string, string>;
  /** Files written into the container's folder before it starts, by relative path. */
  files?: Record<string, string>;
}

/** How a container ended. */
export interface ContainerExit {
  exitCode: number;
  /** When it started, for one that ended before it was seen running (its start was never reported). */
  startedAt?: string;
  reason?: "Completed" | "Error" | "OOMKilled";
  message?: string;
  finishedAt: string;
}

/** The outcome of a lifecycle hook. */
export interface HookResult {
  hook: "postStart" | "preStop";
  ok: boolean;
  message?: string;
}

/** Where a container stands in the runtime. */
export type ContainerPhase = "starting" | "running" | "stopping" | "exited" | "cannotRun";

/** A runtime's record of the current attempt of one container. */
export interface ContainerRecord {
  podUid: string;
  namespace: string;
  podName: string;
  container: string;
  attempt: number;
  phase: ContainerPhase;
  graceMs: number;
  startedAt?: string;
  exit?: ContainerExit;
  cannotRun?: string;
  hooks: HookResult[];
  /** The message of the liveness (or startup) failure that made the runtime kill the container. */
  probeFailure?: string;
  /** Which probe failed (absent: liveness). */
  failedProbe?: "liveness" | "startup";
  /** What the readiness and startup probes say, once they have said anything; `id` is unique per change. */
  readiness?: Readiness;
  /** The startup probe has succeeded before any readiness was recorded (an adopted container): the next readiness says so. */
  startupPassed?: true;
}

/** A container's readiness as its probes last said it. */
export interface Readiness {
  ready: boolean;
  /** Its startup probe has succeeded (kept by every later change). */
  started?: true;
  message?: string;
  /** `<runtime session>.<count>`: part of the report's id, so that each change is reported once. */
  id: string;
  count: number;
}

/** Records a readiness change on `r` (`session` tells this runtime instance's changes from an earlier one's). */
export function recordReadiness(r: ContainerRecord, session: string, ready: boolean, message?: string, started?: true): void {
  const count = (r.readiness?.count ?? 0) + 1;
  const startup = started ?? r.readiness?.started ?? r.startupPassed;
  r.readiness = { ready, id: `${session}.${count}`, count, ...(message === undefined ? {} : { message }), ...(startup ? { started: startup } : {}) };
}

/**
 * Records that `r`'s startup probe has succeeded, with its readiness as known (`ready`, what the pod's actor believes:
 * true when there is a change to report); unknown (an adopted container, whose restarted agent knows no readiness
 * yet), it is only remembered for the next readiness, since `false` here would make a Ready container not Ready until
 * its readiness probe answers.
 */
export function recordStartup(r: ContainerRecord, session: string, ready: boolean | undefined): boolean {
  const known = r.readiness?.ready ?? ready;
  if (known === undefined) {
    r.startupPassed = true;
    return false;
  }
  recordReadiness(r, session, known, r.readiness?.message, true);
  return true;
}

/** A short id of a runtime instance, for `recordReadiness`. */
export function runtimeSession(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** A command run in a running container (`kubectl exec`): its input. */
export interface ExecProcess {
  /** Data for its stdin; settles once it is written (or dropped: the command is gone). */
  write(data: Uint8Array): void | Promise<void>;
  /** Stops reading its output until `resume` (the client is behind). */
  pause(): void;
  resume(): void;
  /** Its stdin's end. */
  closeStdin(): void;
  /** Ends it (the client went). */
  kill(): void;
  /** Its terminal's new size (the client's window changed); absent, or ignored, where it has no terminal of its own. */
  resize?(size: TerminalSize): void;
}

/** Where an exec's output and end go. */
export interface ExecIO {
  /** Output; when the client is behind, the process is paused and the promise settles once it may go on. */
  output(channel: "stdout" | "stderr", data: Uint8Array): void | Promise<void>;
  /** Once: how it ended, or why it could not start (the runtime's words). */
  exited(result: { exitCode: number } | { error: string }): void;
}

/** What an exec asks for. */
export interface ExecOptions {
  command: string[];
  stdin: boolean;
  /** The output the client asked for (an attach follows only these). */
  stdout: boolean;
  stderr: boolean;
  /** A terminal: stderr goes with stdout (the process runtime gives it a pseudo-terminal through `script`). */
  tty: boolean;
}

/** What both runtimes do. Every method but `close` returns at once; progress shows in the records. */
export interface ContainerRuntime {
  readonly kind: "sim" | "process";
  /** The folder a container runs in (process runtime), where its prepared files go. */
  dirOf?(podUid: string, container: string): string;
  /** Starts `launch`, replacing an ended record of the same container. Ignored if that container is still live. */
  start(launch: ContainerLaunch): void;
  /** Runs preStop, sends SIGTERM, and SIGKILL after `graceMs`; a second call may only shorten the grace. */
  stop(podUid: string, container: string, graceMs: number): void;
  /** Drops an ended record (and whatever the runtime keeps for it). */
  forget(podUid: string, container: string): void;
  /** The current records. */
  containers(): readonly ContainerRecord[];
  /** Calls `listener` with the pod uid after each change of a record; returns the unsubscribe function. */
  onChange(listener: (podUid: string) => void): () => void;
  /** Runs a command in a running container; `{ error }` when that container is not running here. */
  exec(podUid: string, container: string, opts: ExecOptions, io: ExecIO): ExecProcess | { error: string };
  /** Attaches to a running container's own input and output (`command` unused) until it ends; `{ error }` as `exec`. */
  attach(podUid: string, container: string, opts: ExecOptions, io: ExecIO): ExecProcess | { error: string };
  /** "stop": stops every live container (graceful) and waits for them; "abandon": forgets all in memory, touches nothing. */
  close(mode: "stop" | "abandon"): Promise<void>;
}

/** True while a record's container may still be running. Pure. */
export function isLive(r: ContainerRecord): boolean {
  return r.phase === "starting" || r.phase === "running" || r.phase === "stopping";
}

/** `<pod uid>/<container>`: the key of a container in a runtime. Pure. */
export function containerKey(podUid: string, container: string): string {
  return `${podUid}/${container}`;
}

/** The container's env as a map (later entries win, an unset value is empty). Pure. */
export function envMap(container: Container): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? ""]));
}

/** Now as an ISO timestamp with milliseconds. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Waits until every record is ended (or `timeoutMs` passes), following `runtime.onChange`. */
export async function waitAllEnded(runtime: ContainerRuntime, timeoutMs: number): Promise<void> {
  if (!runtime.containers().some(isLive)) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const off = runtime.onChange(() => {
      if (!runtime.containers().some(isLive)) done();
    });
    function done(): void {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}
