/** The node agent's plan for a pod with init containers: one at a time, in order, then the containers. */
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
