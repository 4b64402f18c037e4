/** The node agent's plan for a pod with init containers: one at a time, in order, then the containers; sidecars kept running. */
import { describe, expect, it } from "vitest";
import type { Pod } from "../api/pod.js";
import type { ContainerStatus } from "../api/podStatus.js";
import { bindPod, updateContainer } from "../actors/pod/podStatus.js";
import { planNode, type NodeAction } from "./reconcile.js";
import { SimRuntime } from "./simRuntime.js";
import { TimerWheel } from "./timerWheel.js";

const TIME = "2026-12-07T00:00:00Z";
const created: Omit<Pod, "status"> = {
  kind: "Pod",
  metadata: { name: "web", namespace: "default", uid: "uid-web", creationTimestamp: TIME },
  spec: {
    initContainers: [{ name: "first", image: "busybox", command: ["sh", "-c", "until nslookup db; do sleep 2; done"] }, { name: "second", image: "busybox" }],
    containers: [{ name: "app", image: "nginx" }, { name: "side", image: "nginx" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30,
  },
};
const bound = bindPod({ ...created, status: { phase: "Pending" } }, "n1", "10.0.0.7", TIME);
const completed = (s: ContainerStatus): ContainerStatus => ({ ...s, state: { terminated: { exitCode: 0, reason: "Completed" } }, ready: true });
const started = (p: Pod): string[] =>
  planNode({ pods: [p], containers: [], acked: new Set(), nowMs: Date.parse(TIME) }).flatMap((a: NodeAction) => (a.type === "start" ? [a.launch.container.name] : []));

describe("node agent: init containers", () => {
  it("starts only the first init container of a freshly bound pod, as an init launch", () => {
    expect(started(bound)).toEqual(["first"]);
    const launch = planNode({ pods: [bound], containers: [], acked: new Set(), nowMs: 0 }).find((a) => a.type === "start");
    expect(launch?.type === "start" && launch.launch.init).toBe(true);
  });

  it("starts the next once the one before has completed, and the containers once all have", () => {
    const firstDone = updateContainer(bound, "first", completed, TIME);
    expect(started(firstDone)).toEqual(["second"]);
    const allDone = updateContainer(firstDone, "second", completed, TIME);
    expect(started(allDone)).toEqual(["app", "side"]);
  });

  it("starts nothing after an init container that waits in back-off", () => {
    const backingOff = updateContainer(bound, "first", (s) => ({ ...s, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1 } } }), TIME);
    expect(started(backingOff)).toEqual([]);
  });

  it("on a simulated node, ends an init container whose command it does not know at once with 0", async () => {
    const wheel = new TimerWheel();
    const runtime = new SimRuntime(wheel);
    const launch = planNode({ pods: [bound], containers: [], acked: new Set(), nowMs: 0 }).find((a) => a.type === "start");
    if (launch?.type !== "start") throw new Error("no start");
    const ended = new Promise<void>((resolve) => runtime.onChange(() => { if (runtime.containers()[0]?.phase === "exited") resolve(); }));
    runtime.start(launch.launch);
    await ended;
    expect(runtime.containers()[0]?.exit).toMatchObject({ exitCode: 0, reason: "Completed" });
    runtime.start({ ...launch.launch, podUid: "other", init: false });
    expect(runtime.containers().find((r) => r.podUid === "other")?.phase).toBe("starting");
    await runtime.close("abandon");
    wheel.clear();
  });
});

describe("node agent: sidecars", () => {
  const withSidecar: Omit<Pod, "status"> = {
    ...created,
    spec: { ...created.spec, restartPolicy: "Never", initContainers: [{ name: "proxy", image: "envoy", restartPolicy: "Always" }, { name: "second", image: "busybox" }] },
  };
  const boundSidecar = bindPod({ ...withSidecar, status: { phase: "Pending" } }, "n1", "10.0.0.7", TIME);

  it("starts the sidecar as a long-running container, then the next init container once it runs", () => {
    const plan = planNode({ pods: [boundSidecar], containers: [], acked: new Set(), nowMs: 0 });
    expect(plan.flatMap((a) => (a.type === "start" ? [[a.launch.container.name, a.launch.init ?? false]] : []))).toEqual([["proxy", false]]);
    const running = updateContainer(boundSidecar, "proxy", (s) => ({ ...s, state: { running: { startedAt: TIME } }, ready: true }), TIME);
    expect(started(running)).toEqual(["second"]);
    expect(started(updateContainer(running, "second", completed, TIME))).toEqual(["app", "side"]);
  });

  it("stops the sidecar once the pod has ended", () => {
    let p = updateContainer(boundSidecar, "proxy", (s) => ({ ...s, state: { running: { startedAt: TIME } }, ready: true }), TIME);
    p = updateContainer(updateContainer(p, "second", completed, TIME), "app", completed, TIME);
    p = updateContainer(p, "side", completed, TIME);
    expect(p.status.phase).toBe("Succeeded");
    const live = { podUid: "uid-web", namespace: "default", podName: "web", container: "proxy", attempt: 0, phase: "running" as const, graceMs: 30_000, hooks: [], startedAt: TIME };
    const plan = planNode({ pods: [p], containers: [live], acked: new Set(["uid-web/proxy/0/started", "uid-web/podStatus"]), nowMs: 0 });
    expect(plan).toEqual([{ type: "stop", podUid: "uid-web", container: "proxy", graceMs: 30_000 }]);
  });
});
