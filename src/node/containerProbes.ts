/**
 * The probes of one running container, for either runtime: the startup probe first (until it succeeds once),
 * then liveness and readiness, each every `periodSeconds` from `initialDelaySeconds` after the container
 * started. What a probe checks is the runtime's business (`check`); when it runs is the scheduler's (a real timer,
 * or the simulated nodes' shared wheel). Only changes reach the listener: a readiness that flips, or a liveness or
 * startup probe that failed `failureThreshold` times in a row (after which this container is probed no more).
 */
import type { Container, Probe } from "../api/podSpec.js";
import type { CheckResult } from "./probes.js";
import { EMPTY_TALLY, nextReadiness, tally, type ProbeKind, type ProbeTally } from "./probeState.js";

/** Runs a probe's handler once. */
export type ProbeCheck = (kind: ProbeKind, probe: Probe) => CheckResult | Promise<CheckResult>;

/** Calls `fn` after `ms`; the result cancels it. */
export type ProbeScheduler = (ms: number, fn: () => void) => { cancel(): void };

/** What the probes say. */
export interface ProbeListener {
  readiness(ready: boolean, message?: string): void;
  /**
   * The startup probe has succeeded (a container without one never says so); `ready` is what the pod's actor believes
   * of its readiness now (undefined for an adopted container, until its first readiness verdict).
   */
  started(ready: boolean | undefined): void;
  failed(kind: "liveness" | "startup", message: string): void;
}

/** A setTimeout scheduler. */
export const realTimers: ProbeScheduler = (ms, fn) => {
  const t = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(t) };
};

/** True when the container has a probe that gates its readiness (so the actor starts it not ready). Pure. */
export function gatesReadiness(c: Container): boolean {
  return c.readinessProbe !== undefined || c.startupProbe !== undefined;
}

/** The probes of one container attempt. */
export class ContainerProbes {
  private readonly timers = new Map<ProbeKind, { cancel(): void }>();
  private readonly tallies = new Map<ProbeKind, ProbeTally>();
  private stopped = false;

  /** `ready` is what the pod's actor believes now: false for a fresh container, undefined for an adopted one. */
  constructor(
    private readonly container: Container,
    private readonly startedAtMs: number,
    private readonly check: ProbeCheck,
    private readonly schedule: ProbeScheduler,
    private readonly listener: ProbeListener,
    private ready: boolean | undefined,
  ) {}

  /** Starts probing: the startup probe, or liveness and readiness at once when there is none. */
  start(): void {
    if (this.container.startupProbe) this.arm("startup", this.container.startupProbe, true);
    else this.started();
  }

  /** Stops every probe of the container. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private started(): void {
    const { livenessProbe, readinessProbe } = this.container;
    if (livenessProbe) this.arm("liveness", livenessProbe, true);
    if (readinessProbe) this.arm("readiness", readinessProbe, true);
    else if (this.container.startupProbe) this.setReady(true);
  }

  /** Runs `kind` after its initial delay (counted from the start) when `first`, else after its period. */
  private arm(kind: ProbeKind, probe: Probe, first: boolean): void {
    if (this.stopped) return;
    const delay = first ? Math.max(0, this.startedAtMs + probe.initialDelaySeconds * 1000 - Date.now()) : probe.periodSeconds * 1000;
    this.timers.set(kind, this.schedule(delay, () => this.run(kind, probe)));
  }

  /** Runs one check; a check that answers at once (simulated) is judged at once, without a promise. */
  private run(kind: ProbeKind, probe: Probe): void {
    const result = this.check(kind, probe);
    // A check that fails in itself (it should resolve its failure) is judged a failed check, never an agent's crash.
    if (result instanceof Promise) void result.then((r) => this.judge(kind, probe, r), (err: unknown) => this.judge(kind, probe, { ok: false, message: String(err) }));
    else this.judge(kind, probe, result);
  }

  private judge(kind: ProbeKind, probe: Probe, result: CheckResult): void {
    if (this.stopped) return;
    const { tally: next, verdict } = tally(probe, this.tallies.get(kind) ?? EMPTY_TALLY, result.ok);
    this.tallies.set(kind, next);
    if (kind === "readiness") {
      if (nextReadiness(this.ready, verdict) !== null) this.setReady(verdict === "success", result.message);
    } else if (verdict === "failure") {
      this.stop();
      return this.listener.failed(kind, result.message ?? "unknown");
    } else if (kind === "startup" && verdict === "success") {
      this.timers.delete(kind);
      this.listener.started(this.ready);
      return this.started();
    }
    this.arm(kind, probe, false);
  }

  private setReady(ready: boolean, message?: string): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.listener.readiness(ready, ready ? undefined : message);
  }
}
