import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Container, Probe } from "../api/podSpec.js";
import { ContainerProbes, realTimers } from "./containerProbes.js";
import type { ProbeKind } from "./probeState.js";

const probe = (more: Partial<Probe> = {}): Probe => ({
  exec: { command: ["x"] }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 2, ...more,
});

describe("the probes of one container", () => {
  let answers: Record<ProbeKind, boolean>;
  let runs: ProbeKind[];
  let said: string[];
  const start = (c: Partial<Container>, adopted = false) => {
    const probes = new ContainerProbes({ name: "c", image: "i", ...c }, Date.now(), (kind) => {
      runs.push(kind);
      return answers[kind] ? { ok: true } : { ok: false, message: `${kind} says no` };
    }, realTimers, {
      readiness: (r, m) => said.push(`ready=${r}${m ? ` (${m})` : ""}`), started: () => said.push("started"), failed: (k, m) => said.push(`${k} failed: ${m}`),
    }, adopted ? undefined : false);
    probes.start();
    return probes;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    answers = { startup: false, liveness: true, readiness: true };
    runs = [];
    said = [];
  });
  afterEach(() => vi.useRealTimers());

  it("runs no liveness or readiness check until the startup probe succeeds, then both on their periods", () => {
    start({ startupProbe: probe({ failureThreshold: 10 }), livenessProbe: probe(), readinessProbe: probe({ initialDelaySeconds: 2 }) });
    vi.advanceTimersByTime(3500);
    expect(runs).toEqual(["startup", "startup", "startup", "startup"]);
    answers.startup = true;
    vi.advanceTimersByTime(1000); // startup succeeds at 4 s; readiness's initial delay (2 s from the start) is over
    vi.advanceTimersByTime(1000);
    expect(runs.slice(4)).toEqual(["startup", "liveness", "readiness", "liveness", "readiness"]);
    expect(said).toEqual(["started", "ready=true"]);
  });

  it("says readiness only when it changes, after the thresholds", () => {
    start({ readinessProbe: probe({ successThreshold: 2 }) });
    vi.advanceTimersByTime(500);
    expect(said).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(said).toEqual(["ready=true"]);
    answers.readiness = false;
    vi.advanceTimersByTime(1000);
    expect(said).toEqual(["ready=true"]);
    vi.advanceTimersByTime(5000);
    expect(said).toEqual(["ready=true", "ready=false (readiness says no)"]);
    vi.advanceTimersByTime(10_000); // ten more failing probes: nothing more to say
    expect(said).toEqual(["ready=true", "ready=false (readiness says no)"]);
  });

  it("says an adopted container's first readiness verdict either way", () => {
    answers.readiness = false;
    start({ readinessProbe: probe({ failureThreshold: 1 }) }, true);
    vi.advanceTimersByTime(100);
    expect(said).toEqual(["ready=false (readiness says no)"]);
  });

  it("stops every probe after a liveness or startup failure", () => {
    answers.liveness = false;
    start({ livenessProbe: probe(), readinessProbe: probe() });
    vi.advanceTimersByTime(5000);
    expect(said).toEqual(["ready=true", "liveness failed: liveness says no"]);
    expect(runs.filter((k) => k === "liveness")).toHaveLength(2);
    runs = [];
    said = [];
    start({ startupProbe: probe({ failureThreshold: 3 }), livenessProbe: probe() });
    vi.advanceTimersByTime(10_000);
    expect(runs).toEqual(["startup", "startup", "startup"]);
    expect(said).toEqual(["startup failed: startup says no"]);
  });
});
