import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Container } from "../api/podSpec.js";
import { parseReadiness, parseSimDuration, scriptedReady, SimRuntime } from "./simRuntime.js";
import { TimerWheel } from "./timerWheel.js";
import type { ContainerRecord } from "./runtime.js";

function launch(env: Record<string, string>, lifecycle?: Container["lifecycle"], more: Partial<Container> = {}) {
  const container: Container = { name: "c", image: "sim", env: Object.entries(env).map(([name, value]) => ({ name, value })), ...(lifecycle ? { lifecycle } : {}), ...more };
  return { podUid: "u1", namespace: "default", podName: "p", container, attempt: 0, graceMs: 1000 };
}

describe("the simulated runtime (PROTOCOL.md §6)", () => {
  let rt: SimRuntime;
  const one = (): ContainerRecord => rt.containers()[0]!;
  beforeEach(() => {
    vi.useFakeTimers();
    rt = new SimRuntime(new TimerWheel());
  });
  afterEach(() => vi.useRealTimers());

  it("parses durations", () => {
    expect(parseSimDuration("2s")).toBe(2000);
    expect(parseSimDuration("500ms")).toBe(500);
    expect(parseSimDuration("1.5s")).toBe(1500);
    expect(parseSimDuration("1m")).toBe(60_000);
    expect(parseSimDuration(undefined)).toBeUndefined();
    expect(parseSimDuration("soon")).toBeUndefined();
  });

  it("runs for COX_SIM_DURATION, then completes with exit code 0", () => {
    rt.start(launch({ COX_SIM_DURATION: "2s" }));
    expect(one().phase).toBe("starting");
    vi.advanceTimersByTime(1);
    expect(one()).toMatchObject({ phase: "running", startedAt: expect.any(String) });
    vi.advanceTimersByTime(1990);
    expect(one().phase).toBe("running");
    vi.advanceTimersByTime(20);
    expect(one()).toMatchObject({ phase: "exited", exit: { exitCode: 0, reason: "Completed" } });
  });

  it("ends with COX_SIM_EXIT_CODE", () => {
    rt.start(launch({ COX_SIM_DURATION: "500ms", COX_SIM_EXIT_CODE: "3" }));
    vi.advanceTimersByTime(600);
    expect(one()).toMatchObject({ phase: "exited", exit: { exitCode: 3, reason: "Error" } });
  });

  it("leaves COX_SIM_MESSAGE as its termination message", () => {
    rt.start(launch({ COX_SIM_DURATION: "100ms", COX_SIM_EXIT_CODE: "2", COX_SIM_MESSAGE: "db unreachable" }));
    vi.advanceTimersByTime(200);
    expect(one()).toMatchObject({ phase: "exited", exit: { exitCode: 2, message: "db unreachable" } });
  });

  it("parses a readiness script: before the first step not ready, absent always ready", () => {
    const steps = parseReadiness("20s=false, 3s=true");
    expect(steps).toEqual([{ atMs: 3000, ready: true }, { atMs: 20_000, ready: false }]);
    expect([0, 2999, 3000, 19_999, 20_000].map((t) => scriptedReady(steps, t))).toEqual([false, false, true, true, false]);
    expect(scriptedReady(parseReadiness(undefined), 0)).toBe(true);
    expect(parseReadiness("3s=maybe")).toEqual([]);
  });

  it("probes readiness every period against COX_SIM_READINESS and records each change once", async () => {
    const readinessProbe = { exec: { command: ["x"] }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 2 };
    const changes: (boolean | undefined)[] = [];
    rt.onChange(() => { if (one().readiness && one().readiness?.ready !== changes.at(-1)) changes.push(one().readiness?.ready); });
    rt.start(launch({ COX_SIM_READINESS: "2500ms=true,6s=false" }, undefined, { readinessProbe }));
    await vi.advanceTimersByTimeAsync(2100);
    expect(one().readiness).toBeUndefined(); // failing, as the actor already believes: nothing to say
    await vi.advanceTimersByTimeAsync(1000);
    expect(one().readiness).toMatchObject({ ready: true, count: 1 });
    await vi.advanceTimersByTimeAsync(3000);
    expect(one().readiness).toMatchObject({ ready: true, count: 1 });
    await vi.advanceTimersByTimeAsync(2000); // two failures in a row from 6 s
    expect(one().readiness).toMatchObject({ ready: false, count: 2 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(one().readiness?.count).toBe(2);
    expect(changes).toEqual([true, false]);
  });

  it("ends as OOMKilled with 137 under COX_SIM_OOM=1", () => {
    rt.start(launch({ COX_SIM_DURATION: "100ms", COX_SIM_OOM: "1" }));
    vi.advanceTimersByTime(200);
    expect(one()).toMatchObject({ phase: "exited", exit: { exitCode: 137, reason: "OOMKilled" } });
  });

  it("never starts under COX_SIM_FAIL_START=1", () => {
    rt.start(launch({ COX_SIM_FAIL_START: "1" }));
    vi.advanceTimersByTime(10);
    expect(one()).toMatchObject({ phase: "cannotRun", cannotRun: expect.stringContaining("COX_SIM_FAIL_START") });
    expect(one().startedAt).toBeUndefined();
  });

  it("runs until stopped without a duration; a stop runs preStop and ends it at once (143)", () => {
    rt.start(launch({}, { preStop: { exec: { command: ["true"] } }, postStart: { exec: { command: ["true"] } } }));
    vi.advanceTimersByTime(3_600_000);
    expect(one().phase).toBe("running");
    rt.stop("u1", "c", 1000);
    expect(one()).toMatchObject({ phase: "exited", exit: { exitCode: 143 } });
    expect(one().hooks.map((h) => h.hook)).toEqual(["postStart", "preStop"]);
  });

  it("runs no hook the container does not have: a stop without preStop reports none", () => {
    rt.start(launch({}));
    vi.advanceTimersByTime(1);
    expect(one().phase).toBe("running"); // the stop below is a running container's, not one stopped before it started
    rt.stop("u1", "c", 1000);
    expect(one()).toMatchObject({ phase: "exited", exit: { exitCode: 143, message: "stopped (SIGTERM)" } });
    expect(one().hooks).toEqual([]);
  });

  it("does not start a live container twice, replaces an ended one, and tells every change", () => {
    const changes: string[] = [];
    rt.onChange((uid) => changes.push(uid));
    rt.start(launch({ COX_SIM_DURATION: "10ms" }));
    rt.start(launch({ COX_SIM_DURATION: "10ms" }));
    vi.advanceTimersByTime(20);
    expect(changes).toEqual(["u1", "u1", "u1"]);
    rt.start({ ...launch({}), attempt: 1 });
    expect(rt.containers()).toHaveLength(1);
    expect(one()).toMatchObject({ attempt: 1, phase: "starting" });
  });

  it("forgets only ended containers, and abandons everything on close", async () => {
    rt.start(launch({}));
    vi.advanceTimersByTime(1);
    rt.forget("u1", "c");
    expect(rt.containers()).toHaveLength(1);
    await rt.close("abandon");
    expect(rt.containers()).toHaveLength(0);
  });
});

describe("TimerWheel", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fires many timers in deadline order through one timer, skipping cancelled ones", () => {
    const wheel = new TimerWheel();
    const fired: number[] = [];
    for (const d of [30, 10, 20, 10, 50]) wheel.after(d, () => fired.push(d));
    const cancelled = wheel.after(40, () => fired.push(40));
    cancelled.cancel();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual([10, 10, 20, 30, 50]);
  });
});
