import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Elector, LeadershipEvent } from "../election/index.js";
import { MemoryView, RecordingSender } from "../../test/harness/memoryView.js";
import { MemoryHeartbeats } from "../../test/harness/memoryHeartbeats.js";
import type { Pod } from "../api/pod.js";
import { startControllers } from "./run.js";
import { actorsOn, node, rc } from "../../test/harness/controllerObjects.js";
import type { Resource } from "../api/kinds.js";
import type { CommandReply } from "../api/reply.js";

/** An elector whose leadership the test hands out and takes back. */
class HandElector implements Elector {
  readonly component = "controllers";
  readonly identity = "controllers/test/1";
  private current: number | null = null;
  private readonly listeners = new Set<(e: LeadershipEvent) => void>();
  stopped = false;
  isLeader() { return this.current !== null; }
  term() { return this.current; }
  onChange(l: (e: LeadershipEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  events(): AsyncIterableIterator<LeadershipEvent> { throw new Error("not used"); }
  [Symbol.asyncIterator]() { return this.events(); }
  async stop() {
    this.stopped = true;
    this.lose();
  }
  lead(term: number) {
    this.current = term;
    for (const l of this.listeners) l({ type: "leader", term });
  }
  lose() {
    this.current = null;
    for (const l of this.listeners) l({ type: "lost", reason: "expired" });
  }
}

// The loops' timers run on a fake clock: what must not happen is checked over a simulated minute (longer than every
// loop's resync), not over a short real wait.
beforeEach(() => { vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] }); });
afterEach(() => { vi.useRealTimers(); });

const until = async (check: () => boolean, simulatedMs = 3_000) => {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > simulatedMs) throw new Error("condition not met in time");
    await vi.advanceTimersByTimeAsync(5);
  }
};
const aMinutePasses = () => vi.advanceTimersByTimeAsync(60_000);

/** A view that counts the lists made of each resource. */
class CountingView extends MemoryView {
  readonly lists = new Map<Resource, number>();
  override list<T = Record<string, unknown>>(resource: Resource, namespace?: string) {
    this.lists.set(resource, (this.lists.get(resource) ?? 0) + 1);
    return super.list<T>(resource, namespace);
  }
}

function cluster(view = new CountingView(), respond?: (actors: ReturnType<typeof actorsOn>) => RecordingSender["respond"]) {
  const actors = actorsOn(view);
  const sender = new RecordingSender(respond ? respond(actors) : actors);
  const elector = new HandElector();
  const controllers = startControllers({} as NatsConnection, {
    prefix: "cox", view, sender, elector, heartbeats: new MemoryHeartbeats(), logger: pino({ level: "silent" }),
  });
  return { view, sender, elector, controllers };
}

/** Term 1 binds the one pod of RC `web` on node `a`, then the lease is lost. */
async function firstTermBindsOne(view: MemoryView, sender: RecordingSender, elector: HandElector): Promise<void> {
  view.put("nodes", node("a"));
  elector.lead(1);
  view.put("replicationcontrollers", rc("web", { replicas: 1 }));
  await until(() => sender.ofType("BindPod").length === 1);
  elector.lose();
}

describe("the elected controllers", () => {
  it("do nothing until elected, then converge with every command fenced by the term", async () => {
    const { view, sender, elector, controllers } = cluster();
    for (const n of ["a", "b", "c"]) view.put("nodes", node(n));
    view.put("replicationcontrollers", rc("web", { replicas: 3 }));
    await aMinutePasses();
    expect(sender.sent).toHaveLength(0);
    elector.lead(7);
    const bound = () => view.list<Pod>("pods").filter((p) => p.object.spec.nodeName !== undefined);
    await until(() => bound().length === 3);
    expect(new Set(bound().map((p) => p.object.spec.nodeName))).toEqual(new Set(["a", "b", "c"]));
    expect(sender.sent.every((s) => s.command.term === 7)).toBe(true);
    await controllers.stop();
    expect(elector.stopped).toBe(true);
  });

  it("stop on a lost lease and start again with the new term", async () => {
    const { view, sender, elector, controllers } = cluster();
    await firstTermBindsOne(view, sender, elector);
    const before = sender.sent.length;
    view.put("replicationcontrollers", rc("web", { replicas: 2 }));
    await aMinutePasses();
    expect(sender.sent).toHaveLength(before);
    elector.lead(2);
    await until(() => sender.ofType("BindPod").length === 2);
    expect(sender.sent.slice(before).every((s) => s.command.term === 2)).toBe(true);
    await controllers.stop();
  });

  it("begin each term on the indexes they keep between terms, fed while no term runs", async () => {
    const { view, sender, elector, controllers } = cluster();
    await firstTermBindsOne(view, sender, elector);
    view.put("replicationcontrollers", rc("web", { replicas: 2 }));
    view.lists.clear();
    elector.lead(2);
    // The term's controllers are built in that call: none of them listed the view's pods to build an index.
    expect(view.lists.get("pods") ?? 0).toBe(0);
    await until(() => sender.ofType("BindPod").length === 2);
    await controllers.stop();
  });

  it("do not let a bind of an ended term that never answered hold its pod from the next term", async () => {
    const never = new Promise<CommandReply>(() => undefined);
    const { view, sender, elector, controllers } = cluster(new CountingView(), (actors) => (ref, command) =>
      command.type === "BindPod" && command.term === 1 ? never : actors(ref, command));
    await firstTermBindsOne(view, sender, elector);
    elector.lead(2);
    await until(() => view.list<Pod>("pods").some((p) => p.object.spec.nodeName === "a"));
    expect(sender.ofType("BindPod").map((s) => s.command.term)).toEqual([1, 2]);
    await controllers.stop();
  });
});
