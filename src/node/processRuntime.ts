/**
 * The process runtime: each container's `command` + `args` run as a real process (see containerProcess.ts for
 * how one outlives its agent). A 200 ms tick notices starts (the pid file) and exits (the exit file) and ships
 * output to COX_LOGS; stats are sampled every few seconds; probes (startup, liveness, readiness) and hooks (hooks.ts) run
 * per container, and a container's termination message is read when it ends (terminationMessage.ts).
 * `open` re-adopts what an earlier agent left in the state dir: live processes are followed, not started again,
 * and those that ended meanwhile are reported with the exit code their wrapper recorded.
 */
import { dirname, join, resolve } from "node:path";
import { GIVES_TERMINALS, startExec, underTerminal } from "./execProcess.js";
import { attachTo, openStdin, reopenStdin, type Attached, type StdinWriter } from "./attachProcess.js";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "pino";
import {
  containerDir, freshDir, isSameProcess, listContainerDirs, readExit, readJson, readPid, readStart, resolveCommand, signalContainer,
  spawnWrapped, startTicks, writeJsonAtomic, type ContainerMeta,
} from "./containerProcess.js";
import { LogShipper, openLogStream, type LogStreamOptions } from "./containerLogs.js";
import type { StreamPublisher } from "../events/publisher.js";
import { openStatsStream, StatsSampler } from "./containerStats.js";
import { ContainerProbes, realTimers } from "./containerProbes.js";
import { runProbe } from "./probes.js";
import { runLifecycleHandler } from "./hooks.js";
import type { LifecycleHandler } from "../api/containerHandlers.js";
import {
  containerKey, envMap, isLive, nowIso, recordReadiness, recordStartup, runtimeSession, waitAllEnded,
  type ContainerExit, type ContainerLaunch, type ContainerRecord, type ContainerRuntime, type ExecIO, type ExecOptions, type ExecProcess,
} from "./runtime.js";
import { messagePath, readTerminationMessage } from "./terminationMessage.js";

/** Where and how the process runtime works. */
export interface ProcessRuntimeOptions {
  nc: NatsConnection;
  prefix: string;
  /** The agent's state folder (`<data-dir>/node-<name>`): one folder per container under `containers/`. */
  stateDir: string;
  logger: Logger;
  /** The log stream (name, rotation, replicas). */
  logs?: Omit<LogStreamOptions, "prefix">;
  replicas?: number;
  /** How often starts, exits and output are looked for; default 200. */
  tickMs?: number;
  /**
   * How long a container must have lived before it is reported running; default START_WINDOW_MS. One that ends sooner
   * is reported ended only, never running (nor Ready), as the kubelet, which looks at its containers about once a
   * second, never sees one that crashes at once run: a bad rollout's crashing pods do not count as available.
   */
  startWindowMs?: number;
  /** How often CPU and memory are sampled; default 5000. */
  statsMs?: number;
  /** The node's name, in every sample; the agent's own usage is sampled too when it is given. */
  nodeName?: string;
}

/** How long a container must have lived before it is reported running, by default. */
export const START_WINDOW_MS = 500;

/** The longest a postStart hook may run. */
const HOOK_TIMEOUT_MS = 30_000;

interface Proc {
  record: ContainerRecord;
  dir: string;
  meta: ContainerMeta;
  logs: LogShipper;
  probes?: ContainerProbes;
  killTimer?: NodeJS.Timeout;
  killAt?: number;
  pendingStopMs?: number;
  /** The writer of its stdin FIFO (a container with `stdin: true`), and the attaches following it. */
  stdin?: StdinWriter | undefined;
  attached?: Set<Attached>;
}

/** Closes a container's stdin FIFO once what was written is flushed (its reader then sees the end of its input). */
function closeStdin(p: Proc): void {
  p.stdin?.end();
  p.stdin = undefined;
}

/** One node's real containers. */
export class ProcessRuntime implements ContainerRuntime {
  readonly kind = "process" as const;
  private readonly procs = new Map<string, Proc>();
  private readonly listeners = new Set<(podUid: string) => void>();
  private readonly stats: StatsSampler;
  private readonly timers: NodeJS.Timeout[] = [];
  private ticking = false;
  private readonly session = runtimeSession();

  private constructor(private readonly opts: ProcessRuntimeOptions, private readonly logPublisher: StreamPublisher) {
    this.stats = new StatsSampler(opts.nc, opts.prefix, opts.nodeName);
  }

  /** Ensures the log stream, adopts the containers of the state dir, and starts the tick. Does I/O. */
  static async open(opts: ProcessRuntimeOptions): Promise<ProcessRuntime> {
    const logPublisher = await openLogStream(opts.nc, { prefix: opts.prefix, ...opts.logs, ...(opts.replicas ? { replicas: opts.replicas } : {}) });
    await openStatsStream(opts.nc, opts.prefix, opts.replicas);
    const rt = new ProcessRuntime(opts, logPublisher);
    for (const dir of listContainerDirs(opts.stateDir)) rt.adopt(dir);
    rt.timers.push(setInterval(() => void rt.tick(), opts.tickMs ?? 200), setInterval(() => rt.sampleStats(), opts.statsMs ?? 5000));
    return rt;
  }

  start(launch: ContainerLaunch): void {
    const key = containerKey(launch.podUid, launch.container.name);
    const old = this.procs.get(key);
    if (old && isLive(old.record)) return;
    if (old) this.forget(launch.podUid, launch.container.name);
    const record: ContainerRecord = {
      podUid: launch.podUid, namespace: launch.namespace, podName: launch.podName, container: launch.container.name,
      attempt: launch.attempt, phase: "starting", graceMs: launch.graceMs, hooks: [],
    };
    const dir = containerDir(this.opts.stateDir, launch.podUid, launch.container.name);
    const proc: Proc = { record, dir, meta: { launch }, logs: new LogShipper(this.logPublisher, this.opts.prefix, dir, record) };
    this.procs.set(key, proc);
    this.changed(record);
    void this.launch(proc);
  }

  stop(podUid: string, container: string, graceMs: number): void {
    const p = this.procs.get(containerKey(podUid, container));
    if (!p || !isLive(p.record)) return;
    if (p.record.phase === "starting") {
      p.pendingStopMs = Math.min(p.pendingStopMs ?? graceMs, graceMs);
      return;
    }
    const killAt = Date.now() + graceMs;
    if (p.record.phase === "stopping") {
      if (p.killAt !== undefined && killAt < p.killAt) this.scheduleKill(p, killAt);
      return;
    }
    p.record.phase = "stopping";
    p.probes?.stop();
    this.scheduleKill(p, killAt);
    this.changed(p.record);
    this.terminate(p, killAt).catch((err: unknown) => this.opts.logger.warn({ err: String(err) }, "stopping a container failed"));
  }

  forget(podUid: string, container: string): void {
    const key = containerKey(podUid, container);
    const p = this.procs.get(key);
    if (!p || isLive(p.record)) return;
    this.procs.delete(key);
    rmSync(p.dir, { recursive: true, force: true });
  }

  containers(): readonly ContainerRecord[] {
    return [...this.procs.values()].map((p) => p.record);
  }

  onChange(listener: (podUid: string) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async close(mode: "stop" | "abandon"): Promise<void> {
    if (mode === "stop") {
      const live = [...this.procs.values()].filter((p) => isLive(p.record));
      for (const p of live) this.stop(p.record.podUid, p.record.container, p.record.graceMs);
      await waitAllEnded(this, Math.max(0, ...live.map((p) => p.record.graceMs)) + 5000);
    }
    for (const t of this.timers) clearInterval(t);
    for (const p of this.procs.values()) this.quiet(p);
    this.listeners.clear();
    if (mode === "abandon") this.procs.clear();
  }

  exec(podUid: string, container: string, opts: ExecOptions, io: ExecIO): ExecProcess | { error: string } {
    const p = this.procs.get(containerKey(podUid, container));
    if (!p || p.record.phase !== "running") return { error: `container not found ("${container}")` };
    return startExec(opts, this.containerEnv(p), resolve(p.dir, p.meta.launch.prepared?.workingDir ?? "."), io);
  }

  attach(podUid: string, container: string, opts: ExecOptions, io: ExecIO): ExecProcess | { error: string } {
    const p = this.procs.get(containerKey(podUid, container));
    if (!p || p.record.phase !== "running") return { error: `container not found ("${container}")` };
    const c = p.meta.launch.container;
    const tty = c.tty === true && c.stdin === true;
    const attached = attachTo({
      dir: p.dir, stdin: () => (opts.stdin ? p.stdin : undefined), tty, stdout: opts.stdout, stderr: opts.stderr,
      ...(tty && GIVES_TERMINALS ? { terminal: () => p.meta.pid } : {}),
      inputEnded: () => {
        if (opts.stdin && c.stdinOnce) closeStdin(p);
      },
    }, io);
    const all = (p.attached ??= new Set());
    all.add(attached);
    return { ...attached, kill: () => { all.delete(attached); attached.kill(); } };
  }

  dirOf(podUid: string, container: string): string {
    return containerDir(this.opts.stateDir, podUid, container);
  }

  private async launch(p: Proc): Promise<void> {
    const c = p.meta.launch.container;
    const prepared = p.meta.launch.prepared;
    const argv = prepared?.argv ?? [...(c.command ?? []), ...(c.args ?? [])];
    const env = this.containerEnv(p);
    freshDir(p.dir);
    writeFiles(p.dir, prepared?.files ?? {});
    // The files may hold the pod's token: they live in the folder, owner-only, not again in meta.json.
    if (prepared?.files) p.meta.launch = { ...p.meta.launch, prepared: { ...prepared, files: {} } };
    if (argv.length === 0) return this.cannotRun(p, "the container has no command: the process runtime runs its command and args");
    const resolved = resolveCommand(argv[0] ?? "", env.PATH, p.dir);
    if ("error" in resolved) return this.cannotRun(p, resolved.error);
    p.meta.launchedAt = Date.now();
    this.saveMeta(p);
    // `stdin: true`: its input is a FIFO the agent holds (attachProcess.ts); with `tty` too, on a pseudo-terminal.
    try {
      if (c.stdin) p.stdin = openStdin(p.dir);
    } catch (err) {
      return this.cannotRun(p, `cannot make its stdin: ${(err as Error).message}`);
    }
    const line = [resolved.path, ...argv.slice(1)];
    const spawned = await spawnWrapped(p.dir, c.stdin && c.tty ? underTerminal(line) : line, env, () => void this.tick());
    if ("error" in spawned) return this.cannotRun(p, spawned.error);
    p.meta.wrapperPid = spawned.wrapperPid;
    this.saveMeta(p);
  }

  /** Follows what an earlier agent left in `dir`. */
  private adopt(dir: string): void {
    const meta = readJson<ContainerMeta>(join(dir, "meta.json"));
    if (!meta) return void rmSync(dir, { recursive: true, force: true });
    const l = meta.launch;
    const record: ContainerRecord = {
      podUid: l.podUid, namespace: l.namespace, podName: l.podName, container: l.container.name, attempt: l.attempt,
      phase: "starting", graceMs: l.graceMs, hooks: meta.hooks ?? [],
      ...(meta.startedAt === undefined ? {} : { startedAt: meta.startedAt }),
      ...(meta.probeFailure === undefined ? {} : { probeFailure: meta.probeFailure }),
      ...(meta.failedProbe === undefined ? {} : { failedProbe: meta.failedProbe }),
    };
    const p: Proc = { record, dir, meta, logs: new LogShipper(this.logPublisher, this.opts.prefix, dir, record), stdin: reopenStdin(dir) };
    this.procs.set(containerKey(l.podUid, l.container.name), p);
    const pid = meta.pid ?? readPid(dir);
    const ended = readExit(dir) !== undefined;
    if (!ended && isSameProcess(pid, meta.pidStartTicks)) this.running(p, pid ?? 0, false);
    else if (!ended && pid === undefined && !isSameProcess(meta.wrapperPid, undefined)) this.cannotRun(p, "the agent stopped while starting the container");
    this.opts.logger.info({ dir, phase: record.phase }, "adopted a container");
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const p of [...this.procs.values()]) if (isLive(p.record)) await this.follow(p);
    } catch (err) {
      this.opts.logger.warn({ err }, "process runtime tick failed");
    } finally {
      this.ticking = false;
    }
  }

  /** One look at a live container: started yet? ended? new output? */
  private async follow(p: Proc): Promise<void> {
    const exit = readExit(p.dir);
    if (p.record.phase === "starting" && exit === undefined) {
      const pid = readPid(p.dir);
      if (pid !== undefined) {
        if (Date.now() - (readStart(p.dir)?.getTime() ?? 0) >= (this.opts.startWindowMs ?? START_WINDOW_MS)) this.running(p, pid, true);
      }
      else if (!isSameProcess(p.meta.wrapperPid, undefined) && p.meta.wrapperPid !== undefined) this.cannotRun(p, "the container's wrapper ended before the container started");
      return;
    }
    // Ended before it was seen running: its end carries its start (when its wrapper wrote the pid), reported alone.
    const start = p.record.phase === "starting" ? readStart(p.dir) : undefined;
    const gone = exit === undefined && !isSameProcess(p.meta.pid, p.meta.pidStartTicks) && !isSameProcess(p.meta.wrapperPid, undefined);
    await p.logs.ship(exit !== undefined || gone).catch((err: unknown) => this.opts.logger.debug({ err }, "log shipping failed"));
    if (exit) this.exited(p, { ...exitOf(exit.code, exit.at), ...(start ? { startedAt: start.toISOString() } : {}) });
    else if (gone && readExit(p.dir) === undefined) {
      this.exited(p, { exitCode: 137, reason: "Error", message: "the container ended while its agent was down; its exit code is unknown", finishedAt: nowIso() });
    }
  }

  private running(p: Proc, pid: number, fresh: boolean): void {
    const startedAt = p.meta.startedAt ?? (readStart(p.dir)?.toISOString() ?? nowIso());
    Object.assign(p.meta, { pid, pidStartTicks: p.meta.pidStartTicks ?? startTicks(pid), startedAt });
    Object.assign(p.record, { phase: "running", startedAt });
    this.saveMeta(p);
    this.changed(p.record);
    const c = p.meta.launch.container;
    if (c.livenessProbe || c.readinessProbe || c.startupProbe) {
      const env = this.containerEnv(p);
      p.probes = new ContainerProbes(c, Date.parse(startedAt), (_kind, probe) => runProbe(c, probe, env, p.dir), realTimers, {
        readiness: (ready, message) => this.readinessChanged(p, ready, message),
        started: (ready) => {
          if (isLive(p.record) && recordStartup(p.record, this.session, ready)) this.changed(p.record);
        },
        failed: (kind, message) => this.probeFailed(p, kind, message),
      }, fresh ? false : undefined);
      p.probes.start();
    }
    if (fresh && c.lifecycle?.postStart) {
      this.runHook(p, "postStart", c.lifecycle.postStart, HOOK_TIMEOUT_MS).catch((err: unknown) => this.opts.logger.warn({ err: String(err) }, "a postStart hook failed to run"));
    }
    if (p.pendingStopMs !== undefined) this.stop(p.record.podUid, p.record.container, p.pendingStopMs);
  }

  private readinessChanged(p: Proc, ready: boolean, message: string | undefined): void {
    if (!isLive(p.record)) return;
    recordReadiness(p.record, this.session, ready, message);
    this.changed(p.record);
  }

  private probeFailed(p: Proc, kind: "liveness" | "startup", message: string): void {
    if (!isLive(p.record)) return;
    Object.assign(p.record, { probeFailure: message, failedProbe: kind });
    Object.assign(p.meta, { probeFailure: message, failedProbe: kind });
    this.saveMeta(p);
    this.changed(p.record);
    // A probe's own terminationGracePeriodSeconds replaces the pod's for the kill it causes, as in Kubernetes.
    const own = p.meta.launch.container[kind === "liveness" ? "livenessProbe" : "startupProbe"]?.terminationGracePeriodSeconds;
    this.stop(p.record.podUid, p.record.container, own === undefined ? p.record.graceMs : own * 1000);
  }

  private async runHook(p: Proc, hook: "postStart" | "preStop", handler: LifecycleHandler, timeoutMs: number): Promise<boolean> {
    const result = await runLifecycleHandler(p.meta.launch.container, handler, this.containerEnv(p), timeoutMs, p.dir);
    if (!this.procs.has(containerKey(p.record.podUid, p.record.container))) return result.ok;
    p.record.hooks.push({ hook, ok: result.ok, ...(result.message === undefined ? {} : { message: result.message }) });
    p.meta.hooks = p.record.hooks;
    this.saveMeta(p);
    this.changed(p.record);
    if (!result.ok && hook === "postStart") this.stop(p.record.podUid, p.record.container, p.record.graceMs);
    return result.ok;
  }

  /** preStop (within the grace period), then SIGTERM; the kill timer sends SIGKILL at `killAt`. */
  private async terminate(p: Proc, killAt: number): Promise<void> {
    const preStop = p.meta.launch.container.lifecycle?.preStop;
    if (preStop) await this.runHook(p, "preStop", preStop, Math.max(1, killAt - Date.now()));
    if (isLive(p.record) && p.meta.pid !== undefined) signalContainer(p.meta.pid, "SIGTERM");
  }

  private scheduleKill(p: Proc, killAt: number): void {
    if (p.killTimer) clearTimeout(p.killTimer);
    p.killAt = killAt;
    p.killTimer = setTimeout(() => {
      if (isLive(p.record) && p.meta.pid !== undefined) signalContainer(p.meta.pid, "SIGKILL");
    }, Math.max(0, killAt - Date.now()));
  }

  /** The container ended: its exit, with the termination message it left (if any) as the message. */
  private exited(p: Proc, exit: ContainerExit): void {
    this.quiet(p);
    const since = p.meta.launchedAt ?? Date.parse(p.meta.startedAt ?? "") - 1000;
    const message = readTerminationMessage(p.meta.launch.container, p.dir, Number.isFinite(since) ? since : 0, exit.exitCode);
    // Killed for a failed probe and silent itself: no message here, so that the pod shows the probe's.
    const { message: signalled, ...plain } = exit;
    const said = message ?? (p.record.probeFailure === undefined ? signalled : undefined);
    Object.assign(p.record, { phase: "exited", exit: said === undefined ? plain : { ...plain, message: said } });
    this.changed(p.record);
  }

  private cannotRun(p: Proc, message: string): void {
    this.quiet(p);
    Object.assign(p.record, { phase: "cannotRun", cannotRun: message });
    this.changed(p.record);
  }

  /** Stops the container's probe and kill timer. */
  private quiet(p: Proc): void {
    for (const a of p.attached ?? []) a.ended();
    p.attached?.clear();
    closeStdin(p);
    p.probes?.stop();
    if (p.killTimer) clearTimeout(p.killTimer);
    delete p.killTimer;
  }

  private sampleStats(): void {
    const running = [...this.procs.values()].filter((p) => isLive(p.record) && p.meta.pid !== undefined);
    this.stats.sample(running.map((p) => ({ record: p.record, pid: p.meta.pid ?? 0 })));
  }

  private containerEnv(p: Proc): Record<string, string> {
    const base = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: p.dir, HOSTNAME: p.record.podName,
      COX_TERMINATION_MESSAGE_PATH: messagePath(p.meta.launch.container, p.dir),
    };
    const prepared = p.meta.launch.prepared;
    const workdir: Record<string, string> = prepared?.workingDir ? { COX_WORKDIR: prepared.workingDir } : {};
    return { ...base, ...workdir, ...envMap(p.meta.launch.container), ...prepared?.env };
  }

  private saveMeta(p: Proc): void {
    try {
      writeJsonAtomic(join(p.dir, "meta.json"), p.meta);
    } catch (err) {
      this.opts.logger.warn({ err, dir: p.dir }, "cannot save container meta");
    }
  }

  private changed(r: ContainerRecord): void {
    for (const l of this.listeners) l(r.podUid);
  }
}

/** The exit of a wrapper-recorded code: Completed for 0, Error otherwise (128 + n: killed by signal n). Pure. */
export function exitOf(code: number, at: Date): ContainerExit {
  const message = code > 128 && code < 160 ? `killed by signal ${code - 128}` : undefined;
  return { exitCode: code, reason: code === 0 ? "Completed" : "Error", ...(message ? { message } : {}), finishedAt: at.toISOString() };
}

/** Writes the prepared files of a container into its folder (owner-only: they may hold its token). */
function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    writeFileSync(target, content, { mode: 0o600 });
  }
}
