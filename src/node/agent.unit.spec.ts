import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Pod } from "../api/pod.js";
import { eventually } from "../../test/harness/natsServer.js";
import { NodeAgent } from "./agent.js";
import { MemoryView } from "../../test/harness/memoryView.js";
import { machineInfo, nodeRegistration, SIM_CAPACITY } from "./nodeManifest.js";
import { boundPod, FakePodActor } from "../../test/harness/podFixtures.js";
import { SimRuntime } from "./simRuntime.js";
import { TimerWheel } from "./timerWheel.js";

const silent = pino({ level: "silent" });
const agents: NodeAgent[] = [];

function startAgent(view: MemoryView, actor: FakePodActor, name = "n1"): NodeAgent {
  const agent = new NodeAgent({
    name, view, sender: actor, runtime: new SimRuntime(new TimerWheel()), logger: silent,
    registration: nodeRegistration(name, "10.0.0.7", SIM_CAPACITY, machineInfo("sim")),
  });
  view.onChange((change) => agent.offer(change));
  agents.push(agent);
  return agent;
}

function put(view: MemoryView, pod: Pod): void {
  view.putAt("pods", "default", pod.metadata.name, pod);
}

function stateOf(view: MemoryView, name: string) {
  return view.get<Pod>("pods", "default", name)?.object.status.containerStatuses?.[0]?.state;
}

afterEach(() => {
  for (const a of agents.splice(0)) a.crash();
});

describe("NodeAgent on the simulated runtime, with an in-memory view and a fake pod actor", () => {
  it("registers its node with capacity and addresses", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const agent = startAgent(view, actor);
    await agent.registered;
    expect(actor.sent[0]).toMatchObject({
      ref: { resource: "nodes", namespace: "_", name: "n1" },
      command: { type: "RegisterNode", id: expect.stringMatching(/^register\/n1\//), data: { metadata: { name: "n1" }, status: { capacity: SIM_CAPACITY, addresses: [{ type: "InternalIP", address: "10.0.0.7" }, { type: "Hostname", address: "n1" }] } } },
    });
  });

  it("starts a bound pod's container, then reports its exit code, each once", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    startAgent(view, actor);
    put(view, boundPod("job", "n1", [{ env: [{ name: "COX_SIM_DURATION", value: "50ms" }, { name: "COX_SIM_EXIT_CODE", value: "3" }] }]));
    await eventually(() => stateOf(view, "job")?.terminated);
    expect(stateOf(view, "job")?.terminated?.exitCode).toBe(3);
    expect(actor.of("ContainerStarted", "job").map((c) => [c.id, c.data])).toEqual([["uid-job/c0/0/started", expect.objectContaining({ podIP: "10.0.0.7", hostIP: "10.0.0.7" })]]);
    expect(actor.of("ContainerExited", "job")).toEqual([{ type: "ContainerExited", id: "uid-job/c0/0/exited", data: expect.objectContaining({ container: "c0", exitCode: 3, reason: "Error" }) }]);
    // The addresses went with the start: no report of their own, then or later.
    expect(actor.of("ReportPodStatus", "job")).toEqual([]);
  });

  it("holds a container whose ConfigMap is missing as CreateContainerConfigError, and starts it once the ConfigMap is there", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    startAgent(view, actor);
    put(view, boundPod("cfg", "n1", [{ envFrom: [{ configMapRef: { name: "settings" } }] }]));
    await eventually(() => actor.of("ReportContainerWaiting", "cfg")[0]);
    expect(actor.of("ReportContainerWaiting", "cfg")[0]?.data).toEqual({ container: "c0", reason: "CreateContainerConfigError", message: 'configmap "settings" not found' });
    expect(actor.of("ContainerStarted", "cfg")).toEqual([]);
    view.putAt("configmaps", "default", "settings", { kind: "ConfigMap", metadata: { name: "settings", namespace: "default", uid: "cm" }, data: { MODE: "fast" } });
    await eventually(() => actor.of("ContainerStarted", "cfg")[0], 10_000);
  });

  it("reads a simulated container's settings from a ConfigMap", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    startAgent(view, actor);
    view.putAt("configmaps", "default", "sim", { kind: "ConfigMap", metadata: { name: "sim", namespace: "default", uid: "cm" }, data: { COX_SIM_DURATION: "50ms", code: "4" } });
    put(view, boundPod("job2", "n1", [{
      envFrom: [{ configMapRef: { name: "sim" } }, { configMapRef: { name: "absent", optional: true } }],
      env: [{ name: "COX_SIM_EXIT_CODE", valueFrom: { configMapKeyRef: { name: "sim", key: "code" } } }],
    }]));
    await eventually(() => stateOf(view, "job2")?.terminated);
    expect(stateOf(view, "job2")?.terminated?.exitCode).toBe(4);
  });

  it("reads a simulated container's settings from a Secret, and waits for a missing one", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    startAgent(view, actor);
    put(view, boundPod("job3", "n1", [{ env: [{ name: "COX_SIM_DURATION", value: "50ms" }, { name: "COX_SIM_EXIT_CODE", valueFrom: { secretKeyRef: { name: "sim", key: "code" } } }] }]));
    await eventually(() => actor.of("ReportContainerWaiting", "job3")[0]);
    expect(actor.of("ReportContainerWaiting", "job3")[0]?.data).toMatchObject({ reason: "CreateContainerConfigError", message: 'secret "sim" not found' });
    view.putAt("secrets", "default", "sim", { kind: "Secret", metadata: { name: "sim", namespace: "default", uid: "s" }, type: "Opaque", data: { code: Buffer.from("5").toString("base64") } });
    await eventually(() => stateOf(view, "job3")?.terminated, 10_000);
    expect(stateOf(view, "job3")?.terminated?.exitCode).toBe(5);
  });

  it("holds a simulated container whose mounted volume's ConfigMap is missing, and starts it once it is there", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    startAgent(view, actor);
    const pod = boundPod("mounted", "n1", [{ volumeMounts: [{ name: "cfg", mountPath: "/etc/app" }] }]);
    pod.spec.volumes = [{ name: "cfg", configMap: { name: "app" } }];
    put(view, pod);
    await eventually(() => actor.of("ReportContainerWaiting", "mounted")[0]);
    expect(actor.of("ReportContainerWaiting", "mounted")[0]?.data).toEqual({
      container: "c0", reason: "CreateContainerConfigError", message: 'MountVolume.SetUp failed for volume "cfg" : configmap "app" not found',
    });
    expect(actor.of("ContainerStarted", "mounted")).toEqual([]);
    view.putAt("configmaps", "default", "app", { kind: "ConfigMap", metadata: { name: "app", namespace: "default", uid: "cm2" }, data: { k: "v" } });
    await eventually(() => actor.of("ContainerStarted", "mounted")[0], 10_000);
  });

  it("ignores pods of other nodes", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const agent = startAgent(view, actor);
    put(view, boundPod("elsewhere", "n2", [{}]));
    await agent.registered;
    agent.reconcile();
    expect(agent.runtime.containers()).toEqual([]);
  });

  it("stops the containers of a pod being deleted and reports their exit", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    startAgent(view, actor);
    const pod = boundPod("web", "n1", [{}]);
    put(view, pod);
    await eventually(() => stateOf(view, "web")?.running);
    const current = view.get<Pod>("pods", "default", "web")!.object;
    put(view, { ...current, metadata: { ...current.metadata, deletionTimestamp: new Date(Date.now() + 30_000).toISOString() } });
    await eventually(() => view.get("pods", "default", "web") === undefined);
    expect(actor.of("ContainerExited", "web")).toHaveLength(1);
  });

  it("stops the containers of a pod that disappears from the view", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const agent = startAgent(view, actor);
    put(view, boundPod("gone", "n1", [{}]));
    await eventually(() => stateOf(view, "gone")?.running);
    view.remove("pods", "default", "gone");
    await eventually(() => agent.runtime.containers().length === 0);
    expect(actor.of("ContainerExited", "gone")).toHaveLength(0);
  });

  it("retries reports after an outage, with the same ids", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const agent = startAgent(view, actor);
    await agent.registered;
    actor.failWith = "Unavailable";
    put(view, boundPod("late", "n1", [{}]));
    await eventually(() => agent.runtime.containers()[0]?.phase === "running");
    await agent.reports.idle(1000);
    expect(stateOf(view, "late")?.waiting).toBeDefined();
    actor.failWith = null;
    agent.reconcile();
    await eventually(() => stateOf(view, "late")?.running);
    expect(actor.of("ContainerStarted", "late").map((c) => c.id)).toEqual(["uid-late/c0/0/started"]);
  });

  it("on a clean stop, stops its containers and reports them", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const agent = startAgent(view, actor);
    put(view, boundPod("svc", "n1", [{}]));
    await eventually(() => stateOf(view, "svc")?.running);
    await agent.stop();
    expect(stateOf(view, "svc")?.terminated?.exitCode).toBe(143);
  });
});
