/**
 * The agent plans pod by pod: a change of one pod (in the view or in the runtime) is acted on and plans that pod
 * alone; the whole-node pass at start and at each resync catches what no change said (a pod gone unheard, a
 * container left from before a restart, a lost one). planPod's calls are counted on the decision functions.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import type { Pod } from "../api/pod.js";
import { eventually } from "../../test/harness/natsServer.js";
import { MemoryView } from "../../test/harness/memoryView.js";
import { boundPod, FakePodActor, withState } from "../../test/harness/podFixtures.js";
import { NodeAgent } from "./agent.js";
import { machineInfo, nodeRegistration, SIM_CAPACITY } from "./nodeManifest.js";
import { isLive } from "./runtime.js";
import { SimRuntime } from "./simRuntime.js";
import { TimerWheel } from "./timerWheel.js";

/** How often planPod runs, per pod uid: once for each pod planNode is given, once per planPodUid of a bound pod. */
const plans = vi.hoisted(() => new Map<string, number>());
vi.mock("./reconcile.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./reconcile.js")>();
  const count = (uid: string) => plans.set(uid, (plans.get(uid) ?? 0) + 1);
  return {
    ...real,
    planNode: (facts: Parameters<typeof real.planNode>[0]) => {
      for (const p of facts.pods) count(p.metadata.uid);
      return real.planNode(facts);
    },
    planPodUid: (...args: Parameters<typeof real.planPodUid>) => {
      if (args[1]?.metadata.uid === args[0]) count(args[0]);
      return real.planPodUid(...args);
    },
  };
});

const agents: NodeAgent[] = [];
afterEach(() => {
  for (const a of agents.splice(0)) a.crash();
  plans.clear();
});

/** An agent of node n1 that hears every change of the view (until the returned `deafen` is called). */
function startAgent(view: MemoryView, actor: FakePodActor, runtime = new SimRuntime(new TimerWheel())): { agent: NodeAgent; deafen: () => void } {
  const agent = new NodeAgent({
    name: "n1", view, sender: actor, runtime, logger: pino({ level: "silent" }),
    registration: nodeRegistration("n1", "10.0.0.7", SIM_CAPACITY, machineInfo("sim")),
  });
  agents.push(agent);
  return { agent, deafen: view.onChange((change) => agent.offer(change)) };
}

/** Resolves after the callbacks already queued with setImmediate (the agent's first pass among them) have run. */
const afterQueued = () => new Promise((resolve) => setImmediate(resolve));
const running = (view: MemoryView, name: string) => view.get<Pod>("pods", "default", name)?.object.status.containerStatuses?.[0]?.state.running;
const live = (agent: NodeAgent, uid: string) => agent.runtime.containers().filter((r) => r.podUid === uid && isLive(r));

describe("NodeAgent plans pod by pod", () => {
  it("10 pods bound one after another to one node: each runs; planPod calls per pod", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const { agent } = startAgent(view, actor);
    await agent.registered;
    for (let i = 0; i < 10; i++) {
      view.putAt("pods", "default", `p${i}`, boundPod(`p${i}`, "n1", [{}]));
      await eventually(() => running(view, `p${i}`));
    }
    await agent.reports.idle(1000);
    const total = [...plans.values()].reduce((a, b) => a + b, 0);
    console.log(`planPod calls per pod over the scale-up: ${(total / 10).toFixed(1)} (${JSON.stringify([...plans.values()])})`);
    expect(plans.size).toBe(10);
  });

  it("acts on a change of one pod at once, planning that pod and not its neighbours", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const { agent } = startAgent(view, actor);
    await afterQueued(); // the first whole-node pass is over: from here on only changes move the agent
    view.putAt("pods", "default", "a", boundPod("a", "n1", [{}]));
    view.putAt("pods", "default", "b", boundPod("b", "n1", [{}]));
    await eventually(() => running(view, "a") && running(view, "b"));
    await agent.reports.idle(1000);
    plans.clear();
    const a = view.get<Pod>("pods", "default", "a")!.object;
    view.putAt("pods", "default", "a", { ...a, metadata: { ...a.metadata, deletionTimestamp: new Date(Date.now() + 30_000).toISOString() } });
    await eventually(() => view.get("pods", "default", "a") === undefined);
    expect(actor.of("ContainerExited", "a")).toHaveLength(1);
    expect(live(agent, "uid-b")).toHaveLength(1);
    expect(plans.get("uid-a")).toBeGreaterThan(0);
    expect(plans.has("uid-b")).toBe(false);
  });

  it("stops the containers of a pod gone from the view unheard, at the next resync", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const { agent, deafen } = startAgent(view, actor);
    view.putAt("pods", "default", "gone", boundPod("gone", "n1", [{}]));
    await eventually(() => running(view, "gone"));
    deafen();
    view.remove("pods", "default", "gone");
    await afterQueued();
    expect(live(agent, "uid-gone")).toHaveLength(1); // nobody told the agent
    agent.resync();
    await eventually(() => agent.runtime.containers().length === 0);
    expect(actor.of("ContainerExited", "gone")).toEqual([]);
  });

  it("at start, stops and forgets the containers of pods no longer bound, and reports a lost one", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const runtime = new SimRuntime(new TimerWheel());
    const old = boundPod("old", "n1", [{}]);
    runtime.start({ podUid: "uid-old", namespace: "default", podName: "old", container: old.spec.containers[0]!, attempt: 0, graceMs: 30_000 });
    await eventually(() => runtime.containers()[0]?.phase === "running");
    const lost = withState(boundPod("lost", "n1", [{}]), "c0", { running: { startedAt: "2026-01-01T00:00:10Z" } });
    view.putAt("pods", "default", "lost", lost);
    startAgent(view, actor, runtime);
    await eventually(() => runtime.containers().length === 0 && actor.of("ContainerExited", "lost").length > 0);
    expect(actor.of("ContainerExited", "lost")).toEqual([expect.objectContaining({ id: "uid-lost/c0/0/lost", data: expect.objectContaining({ exitCode: 137 }) })]);
    expect(actor.of("ContainerExited", "old")).toEqual([]);
  });
});
