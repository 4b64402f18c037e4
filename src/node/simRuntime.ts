/**
 * The simulated runtime (PROTOCOL.md §6): no processes; each container's behaviour comes from its env.
 * `COX_SIM_DURATION` ("2s", "500ms"; absent: runs until stopped), `COX_SIM_EXIT_CODE` (default 0),
 * `COX_SIM_OOM=1` (ends as OOMKilled, 137), `COX_SIM_FAIL_START=1` (ContainerCannotRun), `COX_SIM_MESSAGE`
 * (the termination message it leaves), `COX_SIM_READINESS` (what its readiness probe says over time, see
 * `parseReadiness`). Without COX_SIM_DURATION, a command the simulation knows (`echo`, `sleep 5`, a `sh -c` script of such;
 * simCommand.ts) ends as it would, and an init container whose command it does not know ends at once with 0 (it
 * would wait on something, a service or a file, that the simulation does not have). A simulated container obeys SIGTERM at once (exit 143); hooks always succeed; its probes run
 * on their schedule through the same runner as real ones, startup and liveness probes always succeeding.
 * All timers go through one shared TimerWheel, so one process can host thousands of simulated nodes.
 */
import {
  containerKey, envMap, isLive, nowIso, recordReadiness, recordStartup, runtimeSession,
  type ContainerExit, type ContainerLaunch, type ContainerRecord, type ContainerRuntime, type ExecIO, type ExecOptions, type ExecProcess,
} from "./runtime.js";
import { podHostname, type Container } from "../api/podSpec.js";
import type { TimerWheel, WheelTimer } from "./timerWheel.js";
import { ContainerProbes, gatesReadiness, type ProbeScheduler } from "./containerProbes.js";
import type { ProbeKind } from "./probeState.js";
import { simulatedRun, type SimulatedRun } from "./simCommand.js";
import { simulatedExec, type SimExec } from "./simExec.js";

/** How long a simulated start takes (so a start is visible as its own change). */
const START_DELAY_MS = 0;

/** What a container's env makes of it. */
export interface SimBehaviour {
  failStart: boolean;
  /** Undefined: runs until stopped. */
  durationMs?: number;
  exit: Omit<ContainerExit, "finishedAt">;
  /** What the readiness probe says from when on (ms after the start); empty: always ready. */
  readiness: ReadinessStep[];
}

/** From `atMs` after the start on, the readiness probe says `ready`. */
export interface ReadinessStep {
  atMs: number;
  ready: boolean;
}

/**
 * Parses `COX_SIM_READINESS`: comma-separated `<time after start>=<true|false>` steps, e.g. `3s=true,20s=false`
 * (not ready for 3 s, ready until 20 s, then not); before the first step the probe fails. Absent or unreadable:
 * no steps (the probe always succeeds). Pure.
 */
export function parseReadiness(text: string | undefined): ReadinessStep[] {
  if (text === undefined) return [];
  const steps = text.split(",").map((part) => {
    const [at, value] = part.split("=");
    const atMs = parseSimDuration(at);
    return atMs === undefined || (value?.trim() !== "true" && value?.trim() !== "false") ? undefined : { atMs, ready: value.trim() === "true" };
  });
  return steps.every((x) => x !== undefined) ? steps.sort((a, b) => a.atMs - b.atMs) : [];
}

/** What a scripted readiness probe says `sinceStartMs` after the start. Pure. */
export function scriptedReady(steps: readonly ReadinessStep[], sinceStartMs: number): boolean {
  if (steps.length === 0) return true;
  let ready = false;
  for (const step of steps) if (step.atMs <= sinceStartMs) ready = step.ready;
  return ready;
}

/** Parses "2s", "500ms", "1.5s", "1m", or a bare number of milliseconds; undefined when absent or unreadable. Pure. */
export function parseSimDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "ms"] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/**
 * The behaviour that a container's env asks for; without COX_SIM_DURATION (and COX_SIM_EXIT_CODE), what its command
 * would do when it is one the simulation knows (`echo hi`, `sleep 5`: simCommand.ts). Pure.
 */
export function simBehaviour(env: Record<string, string>, command?: SimulatedRun): SimBehaviour {
  const durationMs = parseSimDuration(env.COX_SIM_DURATION) ?? command?.durationMs;
  const base = { failStart: env.COX_SIM_FAIL_START === "1", ...(durationMs === undefined ? {} : { durationMs }), readiness: parseReadiness(env.COX_SIM_READINESS) };
  const message = env.COX_SIM_MESSAGE === undefined ? {} : { message: env.COX_SIM_MESSAGE };
  if (env.COX_SIM_OOM === "1") return { ...base, exit: { exitCode: 137, reason: "OOMKilled", message: "simulated out of memory", ...message } };
  const exitCode = Number.parseInt(env.COX_SIM_EXIT_CODE ?? (env.COX_SIM_DURATION === undefined ? String(command?.exitCode ?? 0) : "0"), 10);
  const code = Number.isFinite(exitCode) ? exitCode : 0;
  return { ...base, exit: { exitCode: code, reason: code === 0 ? "Completed" : "Error", ...message } };
}

interface SimContainer {
  record: ContainerRecord;
  /** The container's hooks: only those it has run (and are reported), as on the process runtime. */
  lifecycle: Container["lifecycle"];
  /** For `kubectl exec`: its spec, and its variables when some come from ConfigMaps (else its spec's `env`). */
  container: Container;
  env: Record<string, string> | undefined;
  /** The pod's `spec.hostname`, when it gives one. */
  hostname?: string;
  timer?: WheelTimer;
  probes?: ContainerProbes;
}

/** One node's simulated containers, timed by a shared wheel. */
export class SimRuntime implements ContainerRuntime {
  readonly kind = "sim" as const;
  private readonly byKey = new Map<string, SimContainer>();
  private readonly listeners = new Set<(podUid: string) => void>();
  private readonly session = runtimeSession();
  private readonly schedule: ProbeScheduler;

  constructor(private readonly wheel: TimerWheel) {
    this.schedule = (ms, fn) => this.wheel.after(ms, fn);
  }

  start(launch: ContainerLaunch): void {
    const key = containerKey(launch.podUid, launch.container.name);
    const existing = this.byKey.get(key);
    if (existing && isLive(existing.record)) return;
    const record: ContainerRecord = {
      podUid: launch.podUid, namespace: launch.namespace, podName: launch.podName, container: launch.container.name,
      attempt: launch.attempt, phase: "starting", graceMs: launch.graceMs, hooks: [],
    };
    const sim: SimContainer = { record, lifecycle: launch.container.lifecycle, container: launch.container, env: launch.env, ...(launch.hostname ? { hostname: launch.hostname } : {}) };
    this.byKey.set(key, sim);
    const known = simulatedRun(launch.container.command, launch.container.args);
    // An init container must end for its pod to start: one whose command the simulation does not know succeeds at once.
    const behaviour = simBehaviour(launch.env ?? envMap(launch.container), known ?? (launch.init ? { durationMs: 0, exitCode: 0 } : undefined));
    sim.timer = this.wheel.after(START_DELAY_MS, () => this.run(sim, behaviour, launch));
    this.changed(record);
  }

  stop(podUid: string, container: string, _graceMs: number): void {
    const sim = this.byKey.get(containerKey(podUid, container));
    if (!sim || !isLive(sim.record) || sim.record.phase === "stopping") return;
    sim.timer?.cancel();
    sim.probes?.stop();
    if (sim.record.phase === "starting") {
      this.end(sim, { exitCode: 143, reason: "Error", message: "stopped before it started" });
      return;
    }
    sim.record.phase = "stopping";
    if (sim.lifecycle?.preStop) sim.record.hooks.push({ hook: "preStop", ok: true });
    this.end(sim, { exitCode: 143, reason: "Error", message: "stopped (SIGTERM)" });
  }

  forget(podUid: string, container: string): void {
    const key = containerKey(podUid, container);
    const sim = this.byKey.get(key);
    if (sim && !isLive(sim.record)) this.byKey.delete(key);
  }

  exec(podUid: string, container: string, opts: ExecOptions, io: ExecIO): ExecProcess | { error: string } {
    const sim = this.byKey.get(containerKey(podUid, container));
    if (!sim || sim.record.phase !== "running") return { error: `container not found ("${container}")` };
    return simulateExec(simulatedExec(opts.command, sim.env ?? envMap(sim.container), podHostname(sim.record.podName, sim)), opts, io);
  }

  /** A simulated container prints nothing and reads nothing: an attach lasts until it ends. */
  attach(podUid: string, container: string, _opts: ExecOptions, io: ExecIO): ExecProcess | { error: string } {
    const sim = this.byKey.get(containerKey(podUid, container));
    if (!sim || sim.record.phase !== "running") return { error: `container not found ("${container}")` };
    const off = this.onChange((uid) => {
      if (uid !== podUid || isLive(sim.record)) return;
      off();
      io.exited({ exitCode: 0 });
    });
    return { write: () => undefined, pause: () => undefined, resume: () => undefined, closeStdin: () => undefined, kill: off };
  }

  containers(): readonly ContainerRecord[] {
    return [...this.byKey.values()].map((s) => s.record);
  }

  onChange(listener: (podUid: string) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async close(mode: "stop" | "abandon"): Promise<void> {
    for (const sim of this.byKey.values()) {
      if (mode === "stop") this.stop(sim.record.podUid, sim.record.container, 0);
      else {
        sim.timer?.cancel();
        sim.probes?.stop();
      }
    }
    if (mode === "abandon") this.byKey.clear();
  }

  private run(sim: SimContainer, behaviour: SimBehaviour, launch: ContainerLaunch): void {
    const r = sim.record;
    if (behaviour.failStart) {
      Object.assign(r, { phase: "cannotRun", cannotRun: "COX_SIM_FAIL_START=1: the simulated container cannot start" });
      delete sim.timer;
      this.changed(r);
      return;
    }
    Object.assign(r, { phase: "running", startedAt: nowIso() });
    if (sim.lifecycle?.postStart) r.hooks.push({ hook: "postStart", ok: true });
    this.startProbes(sim, behaviour, launch);
    if (behaviour.durationMs === undefined) delete sim.timer;
    else sim.timer = this.wheel.after(behaviour.durationMs, () => this.end(sim, behaviour.exit));
    this.changed(r);
  }

  /** Runs the container's readiness probe on its schedule against the script (startup and liveness succeed). */
  private startProbes(sim: SimContainer, behaviour: SimBehaviour, launch: ContainerLaunch): void {
    const c = launch.container;
    if (!gatesReadiness(c) && !c.livenessProbe) return;
    const startedAtMs = Date.now();
    const check = (kind: ProbeKind) => {
      const ok = kind !== "readiness" || scriptedReady(behaviour.readiness, Date.now() - startedAtMs);
      return ok ? { ok } : { ok, message: "COX_SIM_READINESS: not ready" };
    };
    const changed = (ready: boolean, message?: string) => {
      if (sim.record.phase !== "running") return;
      recordReadiness(sim.record, this.session, ready, message);
      this.changed(sim.record);
    };
    sim.probes = new ContainerProbes(c, startedAtMs, check, this.schedule, {
      readiness: (ready, message) => changed(ready, message),
      started: (ready) => {
        if (sim.record.phase === "running" && recordStartup(sim.record, this.session, ready)) this.changed(sim.record);
      },
      failed: () => undefined, // simulated startup and liveness probes never fail
    }, false);
    sim.probes.start();
  }

  private end(sim: SimContainer, exit: Omit<ContainerExit, "finishedAt">): void {
    delete sim.timer;
    sim.probes?.stop();
    Object.assign(sim.record, { phase: "exited", exit: { ...exit, finishedAt: nowIso() } });
    this.changed(sim.record);
  }

  private changed(r: ContainerRecord): void {
    for (const l of this.listeners) l(r.podUid);
  }
}

/** Plays a simulated exec to `io`: its output at once, its end after its wait (or, for `cat`, at stdin's end). */
function simulateExec(run: SimExec | { error: string }, opts: ExecOptions, io: ExecIO): ExecProcess {
  let timer: NodeJS.Timeout | undefined;
  let over = false;
  const end = (result: { exitCode: number } | { error: string }) => {
    if (over) return;
    over = true;
    clearTimeout(timer);
    io.exited(result);
  };
  const idle: ExecProcess = { write: () => undefined, pause: () => undefined, resume: () => undefined, closeStdin: () => undefined, kill: () => end({ exitCode: 137 }) };
  if ("error" in run) {
    queueMicrotask(() => end(run));
    return idle;
  }
  queueMicrotask(() => {
    if (run.stdout) io.output("stdout", Buffer.from(run.stdout));
    if (run.stderr) io.output(opts.tty ? "stdout" : "stderr", Buffer.from(run.stderr));
    if (!run.echoStdin || !opts.stdin) timer = setTimeout(() => end({ exitCode: run.exitCode }), run.durationMs);
  });
  if (!run.echoStdin || !opts.stdin) return idle;
  return {
    ...idle,
    // Its input is credited once its echo may go on: a slow client holds back a fast writer.
    write: (data) => (over ? undefined : io.output("stdout", data)),
    closeStdin: () => end({ exitCode: run.exitCode }),
  };
}
