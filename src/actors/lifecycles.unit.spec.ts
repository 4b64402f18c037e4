/**
 * The machines and the deciders agree: for generated histories (commands drawn at random, decided by the decider
 * on its own fold, the refused ones dropped), replaying the events into each kind's machine leaves it in the
 * state its lifecycle's `phaseOf` reads from the decider's fold, after every event, with the same decider state.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { meta } from "../../test/harness/deciderSpec.js";
import type { AnyDecider, Command, DecidedEvent, RecordedEvent } from "./decider.js";
import { createLifecycleMachine, eventMessage, restingSnapshot, type Lifecycle } from "./lifecycle.js";
import { createActorKinds } from "./registry.js";

const kinds = createActorKinds({ backoffInitialMs: 10_000, backoffMaxMs: 40_000, backoffResetMs: 60_000 });
const T0 = Date.parse("2030-01-01T00:00:00Z");
type Draw = { type: string; data: unknown };

const containers = fc.constantFrom("app", "side");
const podSpec = (nodeName: string | undefined, restartPolicy: string, two: boolean) => ({
  containers: [{ name: "app", image: "img" }, ...(two ? [{ name: "side", image: "img" }] : [])],
  restartPolicy, terminationGracePeriodSeconds: 30, ...(nodeName ? { nodeName } : {}),
});
const podCommands: fc.Arbitrary<Draw>[] = [
  fc.record({ node: fc.option(fc.constant("n1")), policy: fc.constantFrom("Always", "OnFailure", "Never"), two: fc.boolean(), held: fc.boolean() })
    .map(({ node, policy, two, held }) => ({ type: "CreatePod", data: { metadata: { name: "p", ...(held ? { finalizers: ["x.io/a"] } : {}) }, spec: podSpec(node ?? undefined, policy, two) } })),
  // Taking the finalizer away (taken when the spec is the pod's: its policy and containers): a held pod is then deleted.
  fc.record({ policy: fc.constantFrom("Always", "OnFailure", "Never"), two: fc.boolean() })
    .map(({ policy, two }) => ({ type: "UpdatePod", data: { metadata: { name: "p", finalizers: [] }, spec: podSpec(undefined, policy, two) } })),
  fc.constant({ type: "BindPod", data: { nodeName: "n1" } }),
  fc.constant({ type: "MarkPodUnschedulable", data: { message: "0/1 nodes are available" } }),
  containers.map((container) => ({ type: "ContainerStarted", data: { container } })),
  fc.record({ container: containers, exitCode: fc.constantFrom(0, 1, 137) }).map((data) => ({ type: "ContainerExited", data })),
  containers.map((container) => ({ type: "ContainerCannotRun", data: { container, message: "no such image" } })),
  containers.map((container) => ({ type: "RestartContainer", data: { container } })),
  fc.record({ container: containers, ready: fc.boolean() }).map((data) => ({ type: "ReportReadiness", data })),
  fc.option(fc.constantFrom(0, 5)).map((g) => ({ type: "DeletePod", data: g === null ? {} : { gracePeriodSeconds: g } })),
  fc.constant({ type: "FinalizePodDeletion", data: {} }),
  fc.constant({ type: "EvictPod", data: { reason: "Evicted", message: "node lost" } }),
];
const nodeCommands: fc.Arbitrary<Draw>[] = [
  fc.constant({ type: "RegisterNode", data: { metadata: { name: "n1" }, spec: {}, status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } } } }),
  fc.constantFrom("True", "False", "Unknown").map((status) => ({ type: "SetNodeCondition", data: { type: "Ready", status } })),
  fc.constantFrom("CordonNode", "UncordonNode").map((type) => ({ type, data: {} })),
  fc.constant({ type: "DeleteNode", data: {} }),
];
const namespaceCommands: fc.Arbitrary<Draw>[] = [
  fc.constant({ type: "CreateNamespace", data: { metadata: { name: "ns" }, spec: {} } }),
  fc.constant({ type: "UpdateNamespace", data: { metadata: { name: "ns", labels: { a: "b" } }, spec: {} } }),
  fc.constantFrom("DeleteNamespace", "FinalizeNamespace").map((type) => ({ type, data: {} })),
];
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 } };
const replicas = fc.integer({ min: 0, max: 3 });
const rcCommands: fc.Arbitrary<Draw>[] = [
  replicas.map((r) => ({ type: "CreateReplicationController", data: { metadata: { name: "rc" }, spec: { replicas: r, selector: { app: "web" }, template } } })),
  replicas.map((r) => ({ type: "ScaleReplicationController", data: { replicas: r } })),
  fc.record({ replicas, readyReplicas: replicas, observedGeneration: fc.integer({ min: 0, max: 4 }) }).map((data) => ({ type: "RecordReplicationStatus", data })),
  fc.constant({ type: "DeleteReplicationController", data: {} }),
];
const quotaHard = fc.record({ pods: fc.constantFrom("0", "1", "2", "3"), cpu: fc.option(fc.constantFrom("0", "1")) })
  .map(({ pods, cpu }) => ({ pods, ...(cpu === null ? {} : { "requests.cpu": cpu }) }));
const quotaPod = fc.record({ pod: fc.constantFrom("a", "b", "c"), requests: fc.constantFrom({}, { "requests.cpu": "0" }, { "requests.cpu": "500m" }) })
  .map(({ pod, requests }) => ({ pod, uid: `u-${pod}`, requests }));
const quotaCommands: fc.Arbitrary<Draw>[] = [
  quotaHard.map((hard) => ({ type: "CreateResourceQuota", data: { metadata: { name: "q" }, spec: { hard } } })),
  quotaHard.map((hard) => ({ type: "UpdateResourceQuota", data: { metadata: { name: "q" }, spec: { hard } } })),
  quotaPod.map((data) => ({ type: "ReserveQuota", data })),
  fc.constantFrom("a", "b", "c").map((pod) => ({ type: "ReleaseQuota", data: { pod, uid: `u-${pod}` } })),
  fc.uniqueArray(quotaPod, { selector: (p) => p.pod, maxLength: 3 }).map((pods) => ({ type: "ResyncQuota", data: { pods, reservedBefore: "2030-01-02T00:00:00Z" } })),
  fc.constant({ type: "DeleteResourceQuota", data: {} }),
];
// Finalizers: a delete of an object that has some makes it Terminating, and an update taking the last away deletes it.
const finalizers = fc.constantFrom([], ["x.io/a"], ["x.io/a", "x.io/b"]);
const plainCommands = (kind: string, extra: fc.Arbitrary<Draw>[] = []): fc.Arbitrary<Draw>[] => [
  finalizers.map((f) => ({ type: `Create${kind}`, data: { metadata: { name: "o", finalizers: f }, spec: { replicas: 1 } } })),
  fc.option(finalizers, { nil: undefined }).map((f) => ({ type: `Update${kind}`, data: { metadata: { name: "o", ...(f ? { finalizers: f } : {}) }, spec: { replicas: 1 } } })),
  fc.constant({ type: `Delete${kind}`, data: {} }),
  ...extra,
];

/** Decides `draws` in turn on the decider's fold, keeps the events of those it accepts, numbered. */
function historyOf(decider: AnyDecider, draws: Draw[]): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  let state = decider.initialState;
  draws.forEach((d, i) => {
    const nowMs = T0 + i * 7_000;
    const command: Command = { ...d, meta: meta({ name: "p", uid: `uid-${i}`, nowMs, time: new Date(nowMs).toISOString().replace(/\.\d+Z$/, "Z") }) };
    let decided: DecidedEvent[];
    try {
      decided = decider.decide(command, state) as DecidedEvent[];
    } catch {
      return;
    }
    for (const e of decided) {
      const r: RecordedEvent = { ...e, version: out.length + 1, time: command.meta.time, uid: command.meta.uid, commandId: `c${i}`, sequence: out.length + 1 };
      out.push(r);
      state = decider.evolve(state, r);
    }
  });
  return out;
}

/** Replays `events` into the machine and the decider side by side; returns the first disagreement, if any. */
function disagreement(
  decider: AnyDecider, lifecycle: Lifecycle, machine: ReturnType<typeof createLifecycleMachine>, events: RecordedEvent[], reached: Set<string>,
): string | null {
  let [snapshot] = initialTransition(machine, { state: decider.initialState });
  let fold = decider.initialState;
  for (const e of events) {
    const from = String(snapshot.value);
    [snapshot] = transition(machine, snapshot, eventMessage(e));
    fold = decider.evolve(fold, e);
    const want = lifecycle.phaseOf(fold);
    reached.add(want);
    if (snapshot.value !== want) return `${from} --${e.type}--> ${String(snapshot.value)}, the decider's fold says ${want}`;
    if (snapshot.context.state !== fold && JSON.stringify(snapshot.context.state) !== JSON.stringify(fold)) return `state differs after ${e.type}`;
    // A resting entity woken here starts where a rehydration would, or goes through `rehydrating` when a delay waits.
    const woken = restingSnapshot(machine, decider, lifecycle, fold);
    const [rehydrated] = initialTransition(machine, { state: fold });
    if ((woken === null) !== (lifecycle.states[want]?.timer === true || rehydrated.context.timer !== null)) return `woken after ${e.type}: ${woken === null ? "through rehydrating" : "directly"}`;
    if (woken && (woken.value !== rehydrated.value || JSON.stringify(woken.context) !== JSON.stringify(rehydrated.context))) return `woken after ${e.type} in ${String(woken.value)}, rehydrated in ${String(rehydrated.value)}`;
  }
  return null;
}

/** A history random draws seldom give (every container of a pod that does not restart ends with 0): run first. */
const podSucceeds: Draw[] = [
  { type: "CreatePod", data: { metadata: { name: "p" }, spec: podSpec("n1", "Never", false) } },
  { type: "ContainerStarted", data: { container: "app" } },
  { type: "ContainerExited", data: { container: "app", exitCode: 0 } },
];

const cases: [string, keyof typeof kinds, fc.Arbitrary<Draw>[], Draw[][]?][] = [
  ["pod", "pods", podCommands, [podSucceeds]],
  ["node", "nodes", nodeCommands],
  ["namespace", "namespaces", namespaceCommands],
  ["replication controller", "replicationcontrollers", rcCommands],
  ["resource quota", "resourcequotas", quotaCommands],
  ["pod template (the simple lifecycle)", "podtemplates", [
    fc.constant({ type: "CreatePodTemplate", data: { metadata: { name: "o" }, template } }),
    fc.constantFrom("a", "b").map((app) => ({ type: "UpdatePodTemplate", data: { metadata: { name: "o" }, template: { ...template, metadata: { labels: { app } } } } })),
    fc.constant({ type: "DeletePodTemplate", data: {} }),
  ]],
  ["deployment (a plain kind)", "deployments", plainCommands("Deployment", [replicas.map((r) => ({ type: "ScaleDeployment", data: { replicas: r } }))])],
];

describe("each kind's machine agrees with its decider's fold (generated histories)", () => {
  for (const [name, resource, commands, examples = []] of cases) {
    it(`${name}: replaying the events into the machine gives the state the fold gives`, () => {
      const kind = kinds[resource];
      const lifecycle = (kind as { lifecycle: Lifecycle }).lifecycle;
      const machine = createLifecycleMachine(kind.decider, lifecycle, () => T0);
      const seen = new Set<string>();
      const reached = new Set<string>([lifecycle.absent]);
      fc.assert(fc.property(fc.array(fc.oneof(...commands), { minLength: 1, maxLength: 40 }), (draws) => {
        const events = historyOf(kind.decider, draws);
        for (const e of events) seen.add(e.type);
        expect(disagreement(kind.decider, lifecycle, machine, events, reached)).toBeNull();
      }), { numRuns: 200, examples: examples.map((draws) => [draws]) });
      expect(seen.size).toBeGreaterThan(2); // the generator reaches past create and delete
      expect([...reached].sort(), "the generated histories reach every state").toEqual(Object.keys(lifecycle.states).sort());
    });
  }
});

describe("each kind's lifecycle covers its commands", () => {
  it("every command of every kind is accepted in some state, and only the create where the object does not exist", () => {
    for (const [resource, kind] of Object.entries(kinds)) {
      const lifecycle = (kind as { lifecycle?: Lifecycle }).lifecycle;
      expect(lifecycle, `${resource} has a lifecycle`).toBeDefined();
      if (!lifecycle) continue;
      const accepted = new Set(Object.values(lifecycle.states).flatMap((s) => [...s.accepts]));
      expect([...Object.keys(kind.decider.commands)].filter((c) => !accepted.has(c)), `${resource}: commands no state accepts`).toEqual([]);
      if (lifecycle.upserts) continue;
      expect(lifecycle.states[lifecycle.absent]?.accepts.every((c) => c.startsWith("Create") || c === "RegisterNode"), resource).toBe(true);
    }
  });
});
