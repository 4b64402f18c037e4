/** Init containers and sidecars in the pod's decider: run in turn before the containers, their statuses, phase and conditions. */
import { describe, expect, it } from "vitest";
import { commandOf, type DataOfCommand, given, meta, play as playAll } from "../../../test/harness/deciderSpec.js";
import type { PodSpec, RestartPolicy } from "../../api/podSpec.js";
import { initBlocks } from "../../api/initContainers.js";
import { podStatus, podRestarts, podReady } from "../../api/podColumns.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import { DEFAULT_ACTOR_CONFIG } from "../actorConfig.js";
import type { CommandMeta, DecidedEvent } from "../decider.js";
import { createPodDecider, type PodCommand, type PodState } from "./decider.js";

const pods = createPodDecider(DEFAULT_ACTOR_CONFIG);
const T0 = Date.parse("2026-12-07T00:00:00Z");
const at = (s: number): CommandMeta =>
  meta({ namespace: "default", name: "web-1", uid: "u-web", time: rfc3339Seconds(new Date(T0 + s * 1000)), nowMs: T0 + s * 1000 });
const command = commandOf(pods, at(0));
const cmd = <T extends PodCommand["type"]>(type: T, data: DataOfCommand<PodCommand, T>, s = 0) => command(type, data, at(s));
const play = (...commands: PodCommand[]): DecidedEvent[] => playAll(pods, ...commands);
const stateAfter = (events: DecidedEvent[]): PodState => given(pods, events).state as PodState;

function spec(restartPolicy: RestartPolicy = "Always"): PodSpec {
  return {
    initContainers: [{ name: "migrate", image: "img/migrate" }, { name: "warm", image: "img/warm" }],
    containers: [{ name: "app", image: "img/app" }], restartPolicy, terminationGracePeriodSeconds: 30,
  };
}
/** The commands that create the pod and bind it. */
const bind = (policy: RestartPolicy = "Always") => [cmd("CreatePod", { metadata: { name: "web-1" }, spec: spec(policy) }), cmd("BindPod", { nodeName: "node-1" })];
const bound = (policy: RestartPolicy = "Always") => play(...bind(policy));
const pod = (events: DecidedEvent[]) => {
  const object = stateAfter(events).object;
  if (!object) throw new Error("no pod");
  return object;
};
const condition = (events: DecidedEvent[], type: string) => pod(events).status.conditions?.find((c) => c.type === type)?.status;
const ran = (name: string, exitCode: number, s = 1) => [cmd("ContainerStarted", { container: name }, s), cmd("ContainerExited", { container: name, exitCode }, s)];

describe("pod decider: init containers", () => {
  it("binds with every container waiting as PodInitializing, Pending and not Initialized (kubectl: Init:0/2)", () => {
    const p = pod(bound());
    expect(p.status.initContainerStatuses?.map((s) => [s.name, s.state.waiting?.reason, s.ready])).toEqual([["migrate", "PodInitializing", false], ["warm", "PodInitializing", false]]);
    expect(p.status.containerStatuses?.map((s) => s.state.waiting?.reason)).toEqual(["PodInitializing"]);
    expect(p.status.phase).toBe("Pending");
    expect(condition(bound(), "Initialized")).toBe("False");
    expect(podStatus(p)).toBe("Init:0/2");
    expect(podReady(p)).toBe("0/1");
  });

  it("completes each in turn, ready once done; Initialized only after the last; Running once the container starts", () => {
    const events = play(...bind(), ...ran("migrate", 0));
    const afterFirst = pod(events);
    expect(afterFirst.status.initContainerStatuses?.[0]).toMatchObject({ state: { terminated: { exitCode: 0, reason: "Completed" } }, ready: true });
    expect(condition(events, "Initialized")).toBe("False");
    expect(podStatus(afterFirst)).toBe("Init:1/2");
    const inited = play(...bind(), ...ran("migrate", 0), ...ran("warm", 0, 2));
    expect(condition(inited, "Initialized")).toBe("True");
    expect(pod(inited).status.phase).toBe("Pending");
    expect(podStatus(pod(inited))).toBe("PodInitializing");
    const started = play(...bind(), ...ran("migrate", 0), ...ran("warm", 0, 2), cmd("ContainerStarted", { container: "app" }, 3));
    expect(pod(started).status.phase).toBe("Running");
    expect(condition(started, "Ready")).toBe("True");
    expect(podStatus(pod(started))).toBe("Running");
  });

  it("restarts a failed init container with a back-off under Always (Init:CrashLoopBackOff), never one that completed", () => {
    const failed = play(...bind(), ...ran("migrate", 3));
    const terminated = failed.find((e) => e.type === "ContainerTerminated")?.data as { backoffUntil?: string };
    expect(terminated.backoffUntil).toBeDefined();
    expect(pod(failed).status.phase).toBe("Pending");
    expect(podStatus(pod(failed))).toBe("Init:CrashLoopBackOff");
    const again = play(...bind(), ...ran("migrate", 3), cmd("RestartContainer", { container: "migrate" }, 20), ...ran("migrate", 0, 21));
    expect(pod(again).status.initContainerStatuses?.[0]).toMatchObject({ restartCount: 1, ready: true, state: { terminated: { exitCode: 0 } } });
    expect(podRestarts(pod(again))).toBe(1);
    const done = again.filter((e) => e.type === "ContainerTerminated").at(-1)?.data as { backoffUntil?: string };
    expect(done.backoffUntil).toBeUndefined();
  });

  it("fails the pod when an init container fails under Never (Init:Error), and starts nothing after it", () => {
    const failed = play(...bind("Never"), ...ran("migrate", 1));
    expect(pod(failed).status.phase).toBe("Failed");
    expect(podStatus(pod(failed))).toBe("Init:Error");
    expect(pod(failed).status.containerStatuses?.[0]?.state.waiting?.reason).toBe("PodInitializing");
  });

  it("deletes a terminating pod once its running init container has stopped", () => {
    const stopped = play(...bind(), cmd("ContainerStarted", { container: "migrate" }, 1), cmd("DeletePod", {}, 2), cmd("ContainerExited", { container: "migrate", exitCode: 143 }, 3));
    expect(stopped.map((e) => e.type).slice(-3)).toEqual(["PodTerminating", "ContainerTerminated", "PodDeleted"]);
  });
});

describe("pod decider: sidecars (init containers with restartPolicy Always)", () => {
  const sidecarSpec = (restartPolicy: RestartPolicy): PodSpec => ({
    initContainers: [{ name: "proxy", image: "img/proxy", restartPolicy: "Always" }, { name: "migrate", image: "img/migrate" }],
    containers: [{ name: "app", image: "img/app" }], restartPolicy, terminationGracePeriodSeconds: 30,
  });
  const start = (policy: RestartPolicy) => [cmd("CreatePod", { metadata: { name: "web-1" }, spec: sidecarSpec(policy) }), cmd("BindPod", { nodeName: "node-1" })];
  const up = (policy: RestartPolicy) => [...start(policy), cmd("ContainerStarted", { container: "proxy" }, 1), ...ran("migrate", 0, 2), cmd("ContainerStarted", { container: "app" }, 3)];

  it("lets the next init container start once the sidecar runs, keeps it beside the container, and counts it in READY", () => {
    expect(podReady(pod(play(...start("Always"))))).toBe("0/2");
    const proxied = play(...start("Always"), cmd("ContainerStarted", { container: "proxy" }, 1));
    expect(podStatus(pod(proxied))).toBe("Init:1/2");
    expect(pod(proxied).status.initContainerStatuses?.[0]).toMatchObject({ state: { running: {} }, ready: true });
    const running = play(...up("Always"));
    expect(pod(running).status.phase).toBe("Running");
    expect(condition(running, "Initialized")).toBe("True");
    expect(condition(running, "Ready")).toBe("True");
    expect(podReady(pod(running))).toBe("2/2");
  });

  it("holds the next init container until a sidecar's startup probe succeeds (started), and starts it anew on a restart", () => {
    const probed: PodSpec = { ...sidecarSpec("Always"), initContainers: [
      { name: "proxy", image: "img/proxy", restartPolicy: "Always", startupProbe: { exec: { command: ["true"] }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 3 } },
      { name: "migrate", image: "img/migrate" },
    ] };
    const create = [cmd("CreatePod", { metadata: { name: "web-1" }, spec: probed }), cmd("BindPod", { nodeName: "node-1" }), cmd("ContainerStarted", { container: "proxy" }, 1)];
    const proxy = (events: DecidedEvent[]) => pod(events).status.initContainerStatuses?.[0];
    expect(proxy(play(...create))).toMatchObject({ state: { running: {} }, started: false });
    expect(initBlocks(pod(play(...create)), "migrate")).toBe(true);
    const passed = play(...create, cmd("ReportReadiness", { container: "proxy", ready: false, started: true }, 2));
    expect(passed.at(-1)).toMatchObject({ type: "ContainerReadinessChanged", data: { started: true } });
    expect(proxy(passed)).toMatchObject({ started: true, ready: false });
    expect(initBlocks(pod(passed), "migrate")).toBe(false);
    // Said again (a restarted agent's probes): nothing new is recorded.
    expect(play(...create, cmd("ReportReadiness", { container: "proxy", ready: false, started: true }, 2), cmd("ReportReadiness", { container: "proxy", ready: false, started: true }, 3))).toHaveLength(passed.length);
    const crashed = play(...create, cmd("ReportReadiness", { container: "proxy", ready: false, started: true }, 2), cmd("ContainerExited", { container: "proxy", exitCode: 1 }, 3));
    expect(proxy(crashed)?.started).toBe(false);
    // A sidecar without a startup probe has no `started`: it has started once it runs.
    expect(pod(play(...start("Always"), cmd("ContainerStarted", { container: "proxy" }, 1))).status.initContainerStatuses?.[0]).not.toHaveProperty("started");
  });

  it("restarts a sidecar that ends, whatever the pod's policy, and the pod is not Ready meanwhile", () => {
    const crashed = play(...up("Never"), cmd("ContainerExited", { container: "proxy", exitCode: 1 }, 4));
    const ended = crashed.at(-1)?.data as { backoffUntil?: string };
    expect(ended.backoffUntil).toBeDefined();
    expect(pod(crashed).status.phase).toBe("Running");
    expect(condition(crashed, "Ready")).toBe("False");
  });

  it("lets the pod succeed when its containers end under Never, and then does not restart the stopped sidecar", () => {
    const done = play(...up("Never"), cmd("ContainerExited", { container: "app", exitCode: 0 }, 4));
    expect(pod(done).status.phase).toBe("Succeeded");
    const stopped = play(...up("Never"), cmd("ContainerExited", { container: "app", exitCode: 0 }, 4), cmd("ContainerExited", { container: "proxy", exitCode: 143 }, 5));
    expect((stopped.at(-1)?.data as { backoffUntil?: string }).backoffUntil).toBeUndefined();
    expect(pod(stopped).status.phase).toBe("Succeeded");
    expect(podStatus(pod(stopped))).toBe("Completed");
    expect(condition(stopped, "Initialized")).toBe("True");
  });

  it("stays Running and initialized while a sidecar restarts after the container started, counting its restarts", () => {
    const crashed = play(...up("Always"), cmd("ContainerExited", { container: "proxy", exitCode: 1 }, 4));
    expect(pod(crashed).status.phase).toBe("Running");
    expect(condition(crashed, "Initialized")).toBe("True");
    expect(podStatus(pod(crashed))).toBe("Running");
    const back = play(...up("Always"), cmd("ContainerExited", { container: "proxy", exitCode: 1 }, 4), cmd("RestartContainer", { container: "proxy" }, 20), cmd("ContainerStarted", { container: "proxy" }, 21));
    expect(podRestarts(pod(back))).toBe(1);
    expect(podReady(pod(back))).toBe("2/2");
  });
});
