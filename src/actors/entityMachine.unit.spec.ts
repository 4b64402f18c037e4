import { describe, expect, it } from "vitest";
import { createActor, initialTransition, transition } from "xstate";
import { createEntityMachine } from "./entityMachine.js";
import type { Decider, RecordedEvent } from "./decider.js";
import { meta } from "../../test/harness/deciderSpec.js";

/** A toy kind whose state holds a deadline, as a pod in CrashLoopBackOff does. */
interface S { until: string | null; fired: number }
const toy: Decider<S, never, RecordedEvent<"Armed", { until: string | null }>> = {
  resource: "namespaces",
  commands: {} as never,
  initialState: { until: null, fired: 0 },
  decide: () => [],
  evolve: (s, e) => ({ ...s, until: e.data.until }),
  render: () => null,
  uidOf: () => undefined,
  nextTimer: (s) => (s.until ? { at: s.until, command: { type: "Wake", data: {} } } : null),
};
const armed = (until: string | null): RecordedEvent => ({ type: "Armed", data: { until }, version: 1, time: "", uid: "u", commandId: "c", sequence: 1 });

describe("entity machine", () => {
  it("is idle without a timer and waits when the state holds a deadline (pure transitions)", () => {
    const machine = createEntityMachine<S>(toy as never, () => 0);
    const [idle] = initialTransition(machine, { state: toy.initialState });
    expect(idle.value).toBe("idle");
    const [next, actions] = transition(machine, idle, { type: "commit", events: [armed("1970-01-01T00:00:01.000Z")] });
    expect(next.value).toBe("waiting");
    expect(next.context.timer?.at).toBe("1970-01-01T00:00:01.000Z");
    expect(actions.some((a) => a.type === "xstate.raise")).toBe(true); // the delayed event that arms the timer
  });

  it("re-arms a timer from a rehydrated state and emits timerDue at the deadline", async () => {
    const until = new Date(Date.now() + 60).toISOString();
    const machine = createEntityMachine<S>(toy as never);
    const actor = createActor(machine, { input: { state: { until, fired: 0 } } });
    const due = new Promise<string>((resolve) => actor.on("timerDue", (e) => resolve(e.timer.command.type)));
    actor.start();
    expect(actor.getSnapshot().value).toBe("waiting");
    await expect(due).resolves.toBe("Wake");
    expect(actor.getSnapshot().value).toBe("idle");
    actor.stop();
  });

  it("keeps a rejection from decide without changing the state", () => {
    const refusing = { ...toy, decide: () => { throw new Error("no"); } };
    const actor = createActor(createEntityMachine<S>(refusing as never), { input: { state: toy.initialState } }).start();
    actor.send({ type: "decide", command: { type: "X", data: {}, meta: meta() } });
    expect(String(actor.getSnapshot().context.rejection)).toMatch(/no/);
    expect(actor.getSnapshot().context.state).toEqual(toy.initialState);
    actor.stop();
  });
});
