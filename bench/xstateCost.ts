/**
 * What XState costs an entity, without the host (run with `node --expose-gc --max-semi-space-size=512
 * --min-semi-space-size=512 --import tsx bench/xstateCost.ts`): one pod's three commands of a scale-up (`CreatePod`,
 * `BindPod`, `ContainerStarted`) and their events, four ways: the decider alone (`decide` and `evolve`, no actor),
 * an actor started and stopped with nothing sent, decide outside the actor with the events folded through it, and
 * both through the actor as the host runs them. Prints µs and KB allocated per pod for each (a young generation
 * that does not fill during a pass, so the heap's growth is what the pass allocated); each way runs twice, the
 * first pass warming it up.
 */
import { createActor } from "xstate";
import { meta } from "../test/harness/deciderSpec.js";
import type { AnyDecider, Command, DecidedEvent, RecordedEvent } from "../src/actors/decider.js";
import { createLifecycleMachine, eventMessage, type EntityContext } from "../src/actors/lifecycle.js";
import { createActorKinds } from "../src/actors/registry.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const pod = createActorKinds().pods;
if (!pod?.lifecycle) throw new Error("the pod kind has no lifecycle");
const decider: AnyDecider = pod.decider;
const machine = createLifecycleMachine(decider, pod.lifecycle);
const PODS = 3_000;
const COMMANDS = [
  { type: "CreatePod", data: { metadata: { name: "p", labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 } } },
  { type: "BindPod", data: { nodeName: "n1" } },
  { type: "ContainerStarted", data: { container: "app" } },
];
const recorded = (d: DecidedEvent, seq: number): RecordedEvent => ({ ...d, version: seq, time: "2030-01-01T00:00:00Z", uid: "u", commandId: `c${seq}`, sequence: seq });
const commandOf = (c: (typeof COMMANDS)[number], i: number): Command => ({ type: c.type, data: c.data, meta: meta({ name: `p${i}` }) });

/** One pod through the decider alone. */
function deciderAlone(i: number): void {
  let state: unknown = decider.initialState;
  let seq = 1;
  for (const c of COMMANDS) for (const d of decider.decide(commandOf(c, i), state)) state = decider.evolve(state, recorded(d, seq++));
}

/** One pod through an actor: its decisions in the actor too (`decideInActor`), or made on its state outside it. */
function throughActor(i: number, decideInActor: boolean): void {
  const actor = createActor(machine, { input: { state: decider.initialState } });
  actor.start();
  let seq = 1;
  for (const c of COMMANDS) {
    const command = commandOf(c, i);
    const context = () => actor.getSnapshot().context as EntityContext<unknown>;
    let decided: DecidedEvent[];
    if (decideInActor) {
      actor.send({ type: "decide", command });
      decided = context().decided ?? [];
    } else decided = decider.decide(command, context().state);
    for (const d of decided) actor.send(eventMessage(recorded(d, seq++)));
  }
  actor.stop();
}

/** An actor started and stopped, nothing sent. */
function startStop(): void {
  const actor = createActor(machine, { input: { state: decider.initialState } });
  actor.start();
  actor.stop();
}

const WAYS: Record<string, (i: number) => void> = {
  "the decider alone": deciderAlone,
  "an actor started and stopped": startStop,
  "decide outside, fold through the actor": (i) => throughActor(i, false),
  "both through the actor (as the host)": (i) => throughActor(i, true),
};
for (const pass of ["warm-up", "measured"]) {
  for (const [way, run] of Object.entries(WAYS)) {
    gc();
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    for (let i = 0; i < PODS; i++) run(i);
    const ms = performance.now() - t0;
    const bytes = process.memoryUsage().heapUsed - heap0;
    if (pass === "measured") process.stdout.write(`${way}: ${((1000 * ms) / PODS).toFixed(1)} µs, ${(bytes / PODS / 1024).toFixed(1)} KB per pod\n`);
  }
}
