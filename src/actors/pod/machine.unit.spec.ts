import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { meta, recorded } from "../../../test/harness/deciderSpec.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import type { Command, DecidedEvent, RecordedEvent } from "../decider.js";
import { eventMessage, type TimerDue } from "../lifecycle.js";
import type { PodState } from "./decider.js";
import { createPodDecider } from "./decider.js";
import { createPodMachine } from "./machine.js";

/** A fixed clock far from the real one: the machine must take its delays from `now`, not from Date.now. */
const NOW = Date.parse("2030-01-01T00:00:00Z");
const config = { backoffInitialMs: 40, backoffMaxMs: 1_000, backoffResetMs: 60_000 };
const pods = createPodDecider(config);
const cmd = (type: string, data: unknown): Command => ({
  type, data, meta: meta({ name: "web-1", uid: "u-web", time: rfc3339Seconds(new Date(NOW)), nowMs: NOW }),
});

/** The events of a pod that crashed once (so it waits in CrashLoopBackOff for 40 ms of the fake clock). */
function crashLoop(): RecordedEvent[] {
  const commands = [
    cmd("CreatePod", { metadata: { name: "web-1" }, spec: { containers: [{ name: "app", image: "img" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30, nodeName: "n" } }),
    cmd("ContainerStarted", { container: "app" }),
    cmd("ContainerExited", { container: "app", exitCode: 1 }),
  ];
  const events: DecidedEvent[] = [];
  let state = pods.initialState;
  for (const c of commands) {
    for (const e of pods.decide(c as never, state) as DecidedEvent[]) {
      events.push(e);
      state = pods.evolve(state, recorded([e], events.length)[0] as never);
    }
  }
  return recorded(events);
}

describe("pod machine", () => {
  it("emits timerDue with RestartContainer when a CrashLoopBackOff ends (fake clock, short real deadline)", async () => {
    const actor = createActor(createPodMachine(config, () => NOW), { input: { state: pods.initialState } });
    const due = new Promise<TimerDue>((resolve) => actor.on("timerDue", resolve));
    actor.start();
    expect(actor.getSnapshot().value).toBe("Absent");
    const events = crashLoop();
    actor.send(eventMessage(events[0] as RecordedEvent));
    expect(actor.getSnapshot().value).toBe("Scheduled");
    actor.send(eventMessage(events[1] as RecordedEvent));
    expect(actor.getSnapshot().value).toBe("Running");
    actor.send(eventMessage(events[2] as RecordedEvent));
    expect(actor.getSnapshot().value).toBe("BackOff");
    const state = actor.getSnapshot().context.state as PodState;
    expect(state.object?.status.containerStatuses?.[0]?.state.waiting?.reason).toBe("CrashLoopBackOff");
    await expect(due).resolves.toEqual({
      type: "timerDue", timer: { at: new Date(NOW + 40).toISOString(), command: { type: "RestartContainer", data: { container: "app" } } },
    });
    expect(actor.getSnapshot().value).toBe("BackOff"); // until RestartContainer's event moves it on
    actor.stop();
  });

  it("re-arms the back-off timer of a rehydrated pod", async () => {
    const state = crashLoop().reduce((s: PodState, e) => pods.evolve(s, e as never), pods.initialState);
    const actor = createActor(createPodMachine(config, () => NOW), { input: { state } });
    const due = new Promise<string>((resolve) => actor.on("timerDue", (e) => resolve(e.timer.command.type)));
    actor.start();
    expect(actor.getSnapshot().value).toBe("BackOff");
    await expect(due).resolves.toBe("RestartContainer");
    actor.stop();
  });

  it("refuses a command its state does not accept with a Status naming the state, and decides nothing", () => {
    const state = crashLoop().reduce((s: PodState, e) => pods.evolve(s, e as never), pods.initialState);
    const actor = createActor(createPodMachine(config, () => NOW), { input: { state } }).start();
    actor.send({ type: "decide", command: cmd("BindPod", { nodeName: "other" }) });
    const { rejection, decided } = actor.getSnapshot().context;
    expect(rejection).toMatchObject({ reason: "Conflict", message: 'pods "web-1" is BackOff: it does not accept BindPod' });
    expect(decided).toBeNull();
    actor.send({ type: "decide", command: cmd("CreatePod", {}) });
    expect(actor.getSnapshot().context.rejection).toMatchObject({ reason: "AlreadyExists" });
    actor.stop();
  });

  it("refuses every command but the create while the pod does not exist, as NotFound", () => {
    const actor = createActor(createPodMachine(config, () => NOW), { input: { state: pods.initialState } }).start();
    actor.send({ type: "decide", command: cmd("ContainerStarted", { container: "app" }) });
    expect(actor.getSnapshot().context.rejection).toMatchObject({ reason: "NotFound", message: 'pods "web-1" not found' });
    actor.stop();
  });
});
