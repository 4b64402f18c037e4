/**
 * How often the agent plans each pod during a scale-up (10 pods bound one after another to one node, as the
 * scheduler binds them), counted on the decision functions themselves, and that a change of one pod is acted on.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import type { Pod } from "../api/pod.js";
import { eventually } from "../../test/harness/natsServer.js";
import { MemoryView } from "../../test/harness/memoryView.js";
import { boundPod, FakePodActor } from "../../test/harness/podFixtures.js";
import { NodeAgent } from "./agent.js";
import { machineInfo, nodeRegistration, SIM_CAPACITY } from "./nodeManifest.js";
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

function startAgent(view: MemoryView, actor: FakePodActor): NodeAgent {
  const agent = new NodeAgent({
    name: "n1", view, sender: actor, runtime: new SimRuntime(new TimerWheel()), logger: pino({ level: "silent" }),
    registration: nodeRegistration("n1", "10.0.0.7", SIM_CAPACITY, machineInfo("sim")),
  });
  view.onChange((change) => agent.offer(change));
  agents.push(agent);
  return agent;
}

const running = (view: MemoryView, name: string) => view.get<Pod>("pods", "default", name)?.object.status.containerStatuses?.[0]?.state.running;

describe("NodeAgent: plans per pod during a scale-up", () => {
  it("10 pods bound one after another to one node: each runs; planPod calls per pod", async () => {
    const view = new MemoryView();
    const actor = new FakePodActor(view);
    const agent = startAgent(view, actor);
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
});
