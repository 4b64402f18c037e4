import { describe, expect, it } from "vitest";
import { commandOf, type DataOfCommand, given, meta, play as playAll, recorded } from "../../../test/harness/deciderSpec.js";
import { deletionHeld, Pod, podCodec } from "../../api/pod.js";
import type { PodSpec, RestartPolicy } from "../../api/podSpec.js";
import type { ContainerStatus } from "../../api/podStatus.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import { DEFAULT_ACTOR_CONFIG } from "../actorConfig.js";
import type { CommandMeta, DecidedEvent } from "../decider.js";
import type { PodCommand, PodState } from "./decider.js";
import { createPodDecider } from "./decider.js";
import { TERMINATION_MESSAGE_MAX_BYTES } from "./podStatus.js";

const pods = createPodDecider(DEFAULT_ACTOR_CONFIG);
const T0 = Date.parse("2026-11-26T00:00:00Z");
/** Command metadata `s` seconds after T0. */
const at = (s: number, overrides: Partial<CommandMeta> = {}): CommandMeta =>
  meta({ namespace: "default", name: "web-1", uid: "u-web", time: rfc3339Seconds(new Date(T0 + s * 1000)), nowMs: T0 + s * 1000, ...overrides });
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const command = commandOf(pods, at(0));
const cmd = <T extends PodCommand["type"]>(type: T, data: DataOfCommand<PodCommand, T>, s = 0) => command(type, data, at(s));

function spec(restartPolicy: RestartPolicy = "Always", containers = ["app"]): PodSpec {
  return { containers: containers.map((name) => ({ name, image: `img/${name}` })), restartPolicy, terminationGracePeriodSeconds: 30 };
}
const create = (s: PodSpec = spec()) => cmd("CreatePod", { metadata: { name: "web-1", labels: { app: "web" } }, spec: s });

/** Runs commands one after the other (each decided on the state the previous ones left) and returns every event. */
const play = (...commands: PodCommand[]): DecidedEvent[] => playAll(pods, ...commands);
const stateAfter = (events: DecidedEvent[]): PodState => given(pods, events).state as PodState;
const container = (state: PodState, name = "app"): ContainerStatus | undefined =>
  state.object?.status.containerStatuses?.find((s) => s.name === name);

/** A bound pod whose containers have started at T0. */
const running = (policy: RestartPolicy = "Always", containers = ["app"]) =>
  play(create(spec(policy, containers)), cmd("BindPod", { nodeName: "node-1", hostIP: "10.0.0.1" }), ...containers.map((c) => cmd("ContainerStarted", { container: c })));

describe("pod decider: creation and binding", () => {
  it("creates a pending, unscheduled pod with the system's uid, time and namespace", () => {
    const object: Pod = {
      kind: "Pod",
      metadata: { name: "web-1", labels: { app: "web" }, namespace: "default", uid: "u-web", creationTimestamp: "2026-11-26T00:00:00Z" },
      spec: spec(),
      status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", lastTransitionTime: "2026-11-26T00:00:00Z" }] },
    };
    given(pods).when(create()).then([{ type: "PodCreated", data: { object } }]);
  });

  it("binds a pod created with a nodeName at once, its containers waiting to be created", () => {
    given(pods).when(create({ ...spec(), nodeName: "node-2" })).then(([e]) => {
      const pod = (e?.data as { object: Pod }).object;
      expect(pod.spec.nodeName).toBe("node-2");
      expect(pod.status.conditions).toContainEqual({ type: "PodScheduled", status: "True", lastTransitionTime: "2026-11-26T00:00:00Z" });
      expect(pod.status.containerStatuses).toEqual([{ name: "app", state: { waiting: { reason: "ContainerCreating" } }, ready: false, restartCount: 0, image: "img/app" }]);
    });
  });

  it("refuses to create a pod that exists", () => {
    given(pods, play(create())).when(create()).thenThrows("AlreadyExists", /pods "web-1" already exists/);
  });

  it("binds an unbound pod once, and refuses a second binding or a missing pod", () => {
    const g = given(pods, play(create()));
    const events = g.when(cmd("BindPod", { nodeName: "node-1", hostIP: "10.0.0.1" })).then([{ type: "PodBound", data: { nodeName: "node-1", hostIP: "10.0.0.1" } }]);
    const bound = stateAfter([...play(create()), ...events]);
    expect(bound.object?.spec.nodeName).toBe("node-1");
    expect(bound.object?.status.conditions?.find((c) => c.type === "PodScheduled")?.status).toBe("True");
    given(pods, [...play(create()), ...events]).when(cmd("BindPod", { nodeName: "node-2" })).thenThrows("Conflict", /already bound to node "node-1"/);
    given(pods).when(cmd("BindPod", { nodeName: "node-1" })).thenThrows("NotFound");
  });
});

describe("pod decider: containers", () => {
  it("runs once every container has started, and is then Ready", () => {
    const bound = play(create(spec("Always", ["a", "b"])), cmd("BindPod", { nodeName: "node-1" }));
    const first = given(pods, bound).when(cmd("ContainerStarted", { container: "a", startedAt: "2026-11-26T00:00:01Z" })).then([
      { type: "ContainerStarted", data: { container: "a", startedAt: "2026-11-26T00:00:01Z" } },
    ]);
    expect(stateAfter([...bound, ...first]).object?.status.phase).toBe("Pending");
    const both = stateAfter(running("Always", ["a", "b"]));
    expect(both.object?.status.phase).toBe("Running");
    expect(both.object?.status.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(container(both, "a")).toMatchObject({ state: { running: { startedAt: "2026-11-26T00:00:00Z" } }, ready: true });
  });

  it("refuses reports about an unknown container (naming data.container), an unbound pod, or a missing one", () => {
    given(pods, running()).when(cmd("ContainerStarted", { container: "nope" })).thenThrows("Invalid", /data\.container/);
    given(pods, play(create())).when(cmd("ContainerExited", { container: "app", exitCode: 0 })).thenThrows("Conflict", /not bound/);
    given(pods).when(cmd("ContainerStarted", { container: "app" })).thenThrows("NotFound");
  });

  it("records nothing for a repeated start or a repeated exit", () => {
    given(pods, running()).when(cmd("ContainerStarted", { container: "app" })).thenNothingHappened();
    const exited = play(create(spec("Never")), cmd("BindPod", { nodeName: "n" }), cmd("ContainerStarted", { container: "app" }), cmd("ContainerExited", { container: "app", exitCode: 0 }));
    given(pods, exited).when(cmd("ContainerExited", { container: "app", exitCode: 0 })).thenNothingHappened();
  });

  it("records liveness failures, and the kill that follows carries the probe's message", () => {
    const failed = [...running(), ...given(pods, running()).when(cmd("ReportProbeFailure", { container: "app", probe: "liveness", message: "HTTP 500" }))
      .then([{ type: "LivenessProbeFailed", data: { container: "app", message: "HTTP 500" } }])];
    given(pods, failed).when(cmd("ContainerExited", { container: "app", exitCode: 137 }, 5)).then(([e]) => {
      expect(e?.data).toMatchObject({ terminated: { exitCode: 137, reason: "Error", message: "Liveness probe failed: HTTP 500" } });
    });
  });

  it("takes the pod's addresses with a container's start, in the start's one event; again later only what changed", () => {
    const bound = play(create(), cmd("BindPod", { nodeName: "node-1", hostIP: "10.0.0.1" }));
    const started = given(pods, bound).when(cmd("ContainerStarted", { container: "app", startedAt: "2026-11-26T00:00:01Z", hostIP: "10.0.0.1", podIP: "172.16.0.5" })).then([
      { type: "ContainerStarted", data: { container: "app", startedAt: "2026-11-26T00:00:01Z", podIP: "172.16.0.5" } },
    ]);
    const after = stateAfter([...bound, ...started]);
    expect(after.object?.status).toMatchObject({ phase: "Running", podIP: "172.16.0.5", hostIP: "10.0.0.1" });
    given(pods, [...bound, ...started]).when(cmd("ContainerStarted", { container: "app", podIP: "172.16.0.5" })).thenNothingHappened();
    given(pods, [...bound, ...started]).when(cmd("ContainerStarted", { container: "app", podIP: "172.16.0.6" }))
      .then([{ type: "PodStatusReported", data: { podIP: "172.16.0.6" } }]);
    given(pods, [...bound, ...started]).when(cmd("ReportPodStatus", { podIP: "172.16.0.5" })).thenNothingHappened();
  });

  it("records hooks, and pod status reports only when something changed", () => {
    given(pods, running()).when(cmd("ReportHook", { container: "app", hook: "postStart", ok: false, message: "exit 1" }))
      .then([{ type: "HookExecuted", data: { container: "app", hook: "postStart", ok: false, message: "exit 1" } }]);
    given(pods, running()).when(cmd("ReportPodStatus", { hostIP: "10.0.0.1", podIP: "172.16.0.5" }))
      .then([{ type: "PodStatusReported", data: { podIP: "172.16.0.5" } }]);
    given(pods, running()).when(cmd("ReportPodStatus", { hostIP: "10.0.0.1" })).thenNothingHappened();
  });

  it("keeps at most 4096 bytes of a termination message, never cutting a character", () => {
    const message = "é".repeat(3000); // 6000 bytes
    given(pods, running("Never")).when(cmd("ContainerExited", { container: "app", exitCode: 1, message })).then(([e]) => {
      const kept = (e?.data as { terminated: { message: string } }).terminated.message;
      expect(new TextEncoder().encode(kept).length).toBe(TERMINATION_MESSAGE_MAX_BYTES);
      expect(kept).toBe("é".repeat(2048));
    });
  });
});

describe("pod decider: readiness and startup probes", () => {
  const probe = { exec: { command: ["true"] }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 3 };
  const probed = (extra: object = { readinessProbe: probe }): PodSpec => ({ ...spec(), containers: [{ name: "app", image: "img/app", ...extra }] });
  const started = (extra?: object) => play(create(probed(extra)), cmd("BindPod", { nodeName: "node-1" }), cmd("ContainerStarted", { container: "app" }));
  const conditions = (state: PodState) => Object.fromEntries((state.object?.status.conditions ?? []).map((c) => [c.type, c.status]));
  const readiness = (ready: boolean, s = 1) => cmd("ReportReadiness", { container: "app", ready }, s);

  it("starts a container with a readiness or startup probe not ready: the pod Running but not Ready", () => {
    for (const extra of [{ readinessProbe: probe }, { startupProbe: probe }]) {
      const state = stateAfter(started(extra));
      expect(state.object?.status.phase).toBe("Running");
      expect(container(state)?.ready).toBe(false);
      expect(conditions(state)).toMatchObject({ ContainersReady: "False", Ready: "False" });
    }
    expect(conditions(stateAfter(running()))).toMatchObject({ ContainersReady: "True", Ready: "True" });
  });

  it("records a readiness change once, each way, and nothing for a result that changes nothing", () => {
    const history = started();
    given(pods, history).when(readiness(false)).thenNothingHappened();
    const up = [...history, ...given(pods, history).when(readiness(true)).then([{ type: "ContainerReadinessChanged", data: { container: "app", ready: true } }])];
    expect(container(stateAfter(up))?.ready).toBe(true);
    expect(conditions(stateAfter(up))).toMatchObject({ ContainersReady: "True", Ready: "True" });
    given(pods, up).when(readiness(true, 2)).thenNothingHappened();
    const down = [...up, ...given(pods, up).when(cmd("ReportReadiness", { container: "app", ready: false, message: "HTTP 503" }, 3))
      .then([{ type: "ContainerReadinessChanged", data: { container: "app", ready: false, message: "HTTP 503" } }])];
    const after = stateAfter(down);
    expect(after.object?.status.phase).toBe("Running");
    expect(conditions(after)).toMatchObject({ ContainersReady: "False", Ready: "False" });
    given(pods, down).when(readiness(false, 4)).thenNothingHappened();
  });

  it("ignores readiness of a container that is not running, and refuses an unknown one", () => {
    const crashed = [...started(), ...given(pods, started()).when(cmd("ContainerExited", { container: "app", exitCode: 1 }, 1)).then(() => undefined)];
    given(pods, crashed).when(readiness(true, 2)).thenNothingHappened();
    given(pods, started()).when(cmd("ReportReadiness", { container: "nope", ready: true })).thenThrows("Invalid", /data\.container/);
  });

  it("a restarted container is not ready again until its probe says so", () => {
    const up = [...started(), ...given(pods, started()).when(readiness(true)).then(() => undefined)];
    const history = [...up, ...given(pods, up).when(cmd("ContainerExited", { container: "app", exitCode: 1 }, 2)).then(() => undefined)];
    const restarted = [...history, ...given(pods, history).when(cmd("RestartContainer", { container: "app" }, 12)).then(() => undefined)];
    const running2 = [...restarted, ...given(pods, restarted).when(cmd("ContainerStarted", { container: "app" }, 12)).then(() => undefined)];
    expect(container(stateAfter(running2))).toMatchObject({ ready: false, restartCount: 1 });
  });

  it("records a startup probe failure, and the kill that follows carries its message", () => {
    const failed = [...started({ startupProbe: probe }), ...given(pods, started({ startupProbe: probe }))
      .when(cmd("ReportProbeFailure", { container: "app", probe: "startup", message: "connection refused" }))
      .then([{ type: "StartupProbeFailed", data: { container: "app", message: "connection refused" } }])];
    given(pods, failed).when(cmd("ContainerExited", { container: "app", exitCode: 137 }, 5)).then(([e]) => {
      expect(e?.data).toMatchObject({ terminated: { exitCode: 137, message: "Startup probe failed: connection refused" } });
    });
  });
});

type Ending = "exit 0" | "exit 1" | "OOMKilled" | "ContainerCannotRun";
const endings: Record<Ending, (s: number) => PodCommand> = {
  "exit 0": (s) => cmd("ContainerExited", { container: "app", exitCode: 0 }, s),
  "exit 1": (s) => cmd("ContainerExited", { container: "app", exitCode: 1, message: "boom" }, s),
  OOMKilled: (s) => cmd("ContainerExited", { container: "app", exitCode: 137, reason: "OOMKilled" }, s),
  ContainerCannotRun: (s) => cmd("ContainerCannotRun", { container: "app", message: "no such image" }, s),
};
const terminatedAs: Record<Ending, object> = {
  "exit 0": { exitCode: 0, reason: "Completed" },
  "exit 1": { exitCode: 1, reason: "Error", message: "boom" },
  OOMKilled: { exitCode: 137, reason: "OOMKilled" },
  ContainerCannotRun: { exitCode: 128, reason: "ContainerCannotRun", message: "no such image" },
};
/** Whether the policy restarts, and otherwise the phase the one-container pod ends in. */
const matrix: [RestartPolicy, Ending, "restart" | "Succeeded" | "Failed"][] = [
  ["Always", "exit 0", "restart"], ["Always", "exit 1", "restart"], ["Always", "OOMKilled", "restart"], ["Always", "ContainerCannotRun", "restart"],
  ["OnFailure", "exit 0", "Succeeded"], ["OnFailure", "exit 1", "restart"], ["OnFailure", "OOMKilled", "restart"], ["OnFailure", "ContainerCannotRun", "restart"],
  ["Never", "exit 0", "Succeeded"], ["Never", "exit 1", "Failed"], ["Never", "OOMKilled", "Failed"], ["Never", "ContainerCannotRun", "Failed"],
];

describe("pod decider: restart policy", () => {
  it.each(matrix)("%s after %s: %s", (policy, ending, outcome) => {
    // ContainerCannotRun comes before the container ever ran: the pod is bound, its container still being created.
    const before = ending === "ContainerCannotRun" ? play(create(spec(policy)), cmd("BindPod", { nodeName: "n" })) : running(policy);
    const events = given(pods, before).when(endings[ending](5)).then(([e, ...rest]) => {
      expect(rest).toEqual([]);
      expect(e?.type).toBe("ContainerTerminated");
      expect((e?.data as { terminated: object }).terminated).toMatchObject(terminatedAs[ending]);
    });
    const after = stateAfter([...before, ...events]);
    if (outcome === "restart") {
      expect(events[0]?.data).toMatchObject({ backoffUntil: iso(15), backoffMs: 10_000 });
      expect(container(after)).toMatchObject({ state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: terminatedAs[ending] }, ready: false });
      expect(after.object?.status.phase).toBe("Running");
      expect(pods.nextTimer?.(after)).toEqual({ at: iso(15), command: { type: "RestartContainer", data: { container: "app" } } });
    } else {
      expect(events[0]?.data).not.toHaveProperty("backoffUntil");
      expect(container(after)?.state.terminated).toMatchObject(terminatedAs[ending]);
      expect(after.object?.status.phase).toBe(outcome);
      expect(pods.nextTimer?.(after)).toBeNull();
    }
  });

  it("restarts a container when its back-off ends: waiting ContainerCreating, restartCount incremented", () => {
    const crashed = [...running(), ...given(pods, running()).when(endings["exit 1"](5)).then(() => undefined)];
    const events = given(pods, crashed).when(cmd("RestartContainer", { container: "app" }, 15))
      .then([{ type: "ContainerRestartRequested", data: { container: "app" } }]);
    const after = stateAfter([...crashed, ...events]);
    expect(container(after)).toMatchObject({ state: { waiting: { reason: "ContainerCreating" } }, restartCount: 1, lastState: { terminated: { exitCode: 1 } } });
    expect(pods.nextTimer?.(after)).toBeNull();
    given(pods, [...crashed, ...events]).when(cmd("RestartContainer", { container: "app" }, 16)).thenNothingHappened();
  });

  it("doubles the back-off with each consecutive restart, from 10 s up to 5 min", () => {
    const delays: number[] = [];
    let history = running();
    let t = 0;
    for (let i = 0; i < 8; i++) {
      const crash = given(pods, history).when(endings["exit 1"](t + 1)).then(() => undefined);
      const { backoffMs } = crash[0]?.data as { backoffMs: number };
      delays.push(backoffMs);
      t += 1 + backoffMs / 1000;
      history = [...history, ...crash];
      const restarted = stateAfter(history);
      history = [...history, ...(pods.decide(cmd("RestartContainer", { container: "app" }, t) as never, restarted) as DecidedEvent[])];
      history = [...history, ...(pods.decide(cmd("ContainerStarted", { container: "app" }, t) as never, stateAfter(history)) as DecidedEvent[])];
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    expect(container(stateAfter(history))?.restartCount).toBe(8);
  });

  it("starts the back-off over after a container ran for the reset time (10 min)", () => {
    const crashes = play(
      create(), cmd("BindPod", { nodeName: "n" }), cmd("ContainerStarted", { container: "app" }, 0),
      endings["exit 1"](1), cmd("RestartContainer", { container: "app" }, 11), cmd("ContainerStarted", { container: "app" }, 11),
      endings["exit 1"](12), cmd("RestartContainer", { container: "app" }, 32), cmd("ContainerStarted", { container: "app" }, 32),
    );
    expect(stateAfter(crashes).backoff.app?.delayMs).toBe(20_000);
    given(pods, crashes).when(endings["exit 1"](32 + 599)).then(([e]) => expect(e?.data).toMatchObject({ backoffMs: 40_000 }));
    given(pods, crashes).when(endings["exit 1"](32 + 600)).then(([e]) => expect(e?.data).toMatchObject({ backoffMs: 10_000 }));
  });

  it("with several containers, keeps the pod Running and waits for the earliest back-off", () => {
    const history = play(create(spec("OnFailure", ["a", "b"])), cmd("BindPod", { nodeName: "n" }),
      cmd("ContainerStarted", { container: "a" }), cmd("ContainerStarted", { container: "b" }),
      cmd("ContainerExited", { container: "b", exitCode: 2 }, 3), cmd("ContainerExited", { container: "a", exitCode: 0 }, 4),
      cmd("ContainerStarted", { container: "a" }, 5), cmd("ContainerExited", { container: "a", exitCode: 0 }, 5));
    const state = stateAfter(history);
    expect(state.object?.status.phase).toBe("Running");
    expect(pods.nextTimer?.(state)).toEqual({ at: iso(13), command: { type: "RestartContainer", data: { container: "b" } } });
  });
});

describe("pod decider: deletion and eviction", () => {
  it("deletes an unbound pod or an ended one at once; it may then be created again with a new uid", () => {
    given(pods, play(create())).when(cmd("DeletePod", {})).then([{ type: "PodDeleted", data: {} }]);
    given(pods, [...running("Never"), ...given(pods, running("Never")).when(endings["exit 0"](3)).then(() => undefined)])
      .when(cmd("DeletePod", {})).then([{ type: "PodDeleted", data: {} }]);
    const gone = given(pods, play(create(), cmd("DeletePod", {})));
    expect(pods.render(gone.state)).toBeNull();
    gone.when({ ...create(), meta: at(9, { uid: "u-2" }) }).then(([e]) => expect((e?.data as { object: Pod }).object.metadata.uid).toBe("u-2"));
    given(pods).when(cmd("DeletePod", {})).thenThrows("NotFound");
  });

  it("gives a bound pod its grace period, then deletes it when the timer fires", () => {
    const terminating = [...running(), ...given(pods, running()).when(cmd("DeletePod", {}, 10)).then([
      { type: "PodTerminating", data: { deletionTimestamp: "2026-11-26T00:00:40Z", gracePeriodSeconds: 30, deadline: iso(40) } },
    ])];
    const state = stateAfter(terminating);
    expect(state.object?.metadata.deletionTimestamp).toBe("2026-11-26T00:00:40Z");
    expect(pods.render(state)?.metadata).toMatchObject({ deletionTimestamp: "2026-11-26T00:00:40Z", deletionGracePeriodSeconds: 30 }); // as kubectl get -o yaml shows it
    expect(pods.nextTimer?.(state)).toEqual({ at: iso(40), command: { type: "FinalizePodDeletion", data: {} } });
    given(pods, terminating).when(cmd("FinalizePodDeletion", {}, 40)).then([{ type: "PodDeleted", data: {} }]);
    given(pods, running()).when(cmd("FinalizePodDeletion", {})).thenThrows("Conflict", /not being deleted/);
  });

  it("is idempotent while terminating, but a shorter grace period shortens the deadline; zero deletes at once", () => {
    const terminating = [...running(), ...given(pods, running()).when(cmd("DeletePod", { gracePeriodSeconds: 60 }, 0)).then(() => undefined)];
    given(pods, terminating).when(cmd("DeletePod", {}, 5)).thenNothingHappened();
    given(pods, terminating).when(cmd("DeletePod", { gracePeriodSeconds: 60 }, 5)).thenNothingHappened();
    const shorter = given(pods, terminating).when(cmd("DeletePod", { gracePeriodSeconds: 10 }, 5))
      .then([{ type: "PodTerminating", data: { deletionTimestamp: "2026-11-26T00:00:15Z", gracePeriodSeconds: 10, deadline: iso(15) } }]);
    expect(stateAfter([...terminating, ...shorter]).object?.metadata.deletionGracePeriodSeconds).toBe(10);
    given(pods, terminating).when(cmd("DeletePod", { gracePeriodSeconds: 0 }, 5)).then([{ type: "PodDeleted", data: {} }]);
  });

  it("deletes a terminating pod as soon as its last container exits, without restarting anything", () => {
    const terminating = play(create(spec("Always", ["a", "b"])), cmd("BindPod", { nodeName: "n" }),
      cmd("ContainerStarted", { container: "a" }), cmd("ContainerStarted", { container: "b" }), cmd("DeletePod", {}, 1));
    const first = given(pods, terminating).when(cmd("ContainerExited", { container: "a", exitCode: 143 }, 2)).then(([e, ...rest]) => {
      expect(rest).toEqual([]);
      expect(e?.data).not.toHaveProperty("backoffUntil");
    });
    given(pods, [...terminating, ...first]).when(cmd("ContainerExited", { container: "b", exitCode: 0 }, 3)).then((events) => {
      expect(events.map((e) => e.type)).toEqual(["ContainerTerminated", "PodDeleted"]);
    });
  });

  it("drops a pending back-off when the pod starts terminating", () => {
    const history = play(create(), cmd("BindPod", { nodeName: "n" }), cmd("ContainerStarted", { container: "app" }), endings["exit 1"](1), cmd("DeletePod", {}, 2));
    const state = stateAfter(history);
    expect(pods.nextTimer?.(state)?.command.type).toBe("FinalizePodDeletion");
    given(pods, history).when(cmd("RestartContainer", { container: "app" }, 11)).thenNothingHappened();
  });

  it("evicts a pod: Failed with the reason, then deleted", () => {
    const events = given(pods, running()).when(cmd("EvictPod", { reason: "NodeLost", message: "node-1 is gone" }))
      .then([{ type: "PodEvicted", data: { reason: "NodeLost", message: "node-1 is gone" } }, { type: "PodDeleted", data: {} }]);
    const evicted = stateAfter([...running(), ...events.slice(0, 1)]);
    expect(evicted.object?.status).toMatchObject({ phase: "Failed", reason: "NodeLost", message: "node-1 is gone" });
    expect(pods.render(stateAfter([...running(), ...events]))).toBeNull();
  });
});

describe("pod decider: finalizers", () => {
  const heldSpec = spec();
  const createHeld = (finalizers = ["example.com/hold"]) => cmd("CreatePod", { metadata: { name: "web-1", finalizers }, spec: heldSpec });
  const update = (finalizers?: string[], s = 0) => cmd("UpdatePod", { metadata: { name: "web-1", ...(finalizers ? { finalizers } : {}) }, spec: heldSpec }, s);
  const boundHeld = () => play(createHeld(), cmd("BindPod", { nodeName: "node-1" }), cmd("ContainerStarted", { container: "app" }));

  it("keeps a pod whose finalizers hold it once its deletion is over, and deletes it when an update takes the last away", () => {
    const terminating = [...boundHeld(), ...given(pods, boundHeld()).when(cmd("DeletePod", {}, 10)).then(() => undefined)];
    const heldEvents = given(pods, terminating).when(cmd("ContainerExited", { container: "app", exitCode: 0 }, 12)).then((events) => {
      expect(events.map((e) => e.type)).toEqual(["ContainerTerminated", "PodDeletionHeld"]);
      expect(events[1]?.data).toEqual({ deletionTimestamp: "2026-11-26T00:00:40Z" });
    });
    const held = [...terminating, ...heldEvents];
    const state = stateAfter(held);
    expect(state.object?.metadata).toMatchObject({ deletionTimestamp: "2026-11-26T00:00:40Z", deletionGracePeriodSeconds: 0, finalizers: ["example.com/hold"] });
    expect(pods.nextTimer?.(state)).toBeNull();
    // Deleted again, evicted, or bound: nothing; no finalizer can be added; the last taken away deletes it.
    given(pods, held).when(cmd("DeletePod", {}, 20)).thenNothingHappened();
    given(pods, held).when(cmd("EvictPod", { reason: "Evicted", message: "x" }, 20)).thenNothingHappened();
    given(pods, held).when(update(["example.com/hold", "example.com/more"], 20))
      .thenThrows("Invalid", /metadata\.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers \[\]string\{"example.com\/more"\}/);
    given(pods, held).when(update([], 20)).then([{ type: "PodUpdated", data: { finalizers: [] } }, { type: "PodDeleted", data: {} }]);
  });

  it("ends a held pod's containers for good: an exit reported after its grace period restarts nothing, and no timer is left", () => {
    const held = [...boundHeld(), ...given(pods, boundHeld()).when(cmd("DeletePod", { gracePeriodSeconds: 0 }, 10)).then([
      { type: "PodDeletionHeld", data: { deletionTimestamp: "2026-11-26T00:00:10Z" } },
    ])];
    const exited = given(pods, held).when(cmd("ContainerExited", { container: "app", exitCode: 137 }, 12)).then(([e, ...rest]) => {
      expect(rest).toEqual([]);
      expect(e?.data).not.toHaveProperty("backoffUntil");
    });
    const state = stateAfter([...held, ...exited]);
    expect(container(state)?.state.terminated?.exitCode).toBe(137);
    expect(pods.nextTimer?.(state)).toBeNull();
    expect(deletionHeld(state.object as Pod)).toBe(true);
  });

  it("holds an unbound pod deleted at once, at the delete's time; an update without finalizers keeps them", () => {
    const held = given(pods, play(createHeld())).when(cmd("DeletePod", {}, 5)).then([{ type: "PodDeletionHeld", data: { deletionTimestamp: "2026-11-26T00:00:05Z" } }]);
    given(pods, [...play(createHeld()), ...held]).when(cmd("BindPod", { nodeName: "node-1" }, 6)).thenThrows("Conflict", /is being deleted/);
    given(pods, play(createHeld())).when(update(undefined)).thenNothingHappened();
    given(pods, play(createHeld())).when(update(["example.com/hold", "example.com/more"]))
      .then([{ type: "PodUpdated", data: { finalizers: ["example.com/hold", "example.com/more"] } }]);
    expect(stateAfter(play(createHeld([]))).object?.metadata).not.toHaveProperty("finalizers");
  });
});

describe("pod decider: rendered objects", () => {
  it("renders a valid Pod (in v1 and v1beta1) at every step of a busy life", () => {
    const history = play(
      create(spec("OnFailure", ["a", "b"])), cmd("BindPod", { nodeName: "node-1", hostIP: "10.0.0.1" }),
      cmd("ContainerStarted", { container: "a" }), cmd("ReportPodStatus", { podIP: "172.16.0.9" }), cmd("ContainerCannotRun", { container: "b", message: "no image" }, 1),
      cmd("RestartContainer", { container: "b" }, 11), cmd("ContainerStarted", { container: "b" }, 12), cmd("ReportProbeFailure", { container: "a", probe: "liveness", message: "timeout" }, 13),
      cmd("ContainerExited", { container: "a", exitCode: 137, finishedAt: "2026-11-26T00:00:14Z" }, 14), cmd("DeletePod", { gracePeriodSeconds: 5 }, 15),
      cmd("ContainerExited", { container: "b", exitCode: 0 }, 16),
    );
    expect(history.at(-1)?.type).toBe("PodDeleted");
    for (let i = 1; i < history.length; i++) {
      const object = pods.render(stateAfter(history.slice(0, i)));
      expect(() => Pod.parse(object), `after ${history[i - 1]?.type}`).not.toThrow();
      const v1beta1 = podCodec.render("v1beta1", object as Pod);
      expect(podCodec.fromExternal("v1beta1", v1beta1).status.phase).toBe((object as Pod).status.phase);
    }
  });

  it("keeps its state small beside the object", () => {
    const state = stateAfter(play(create(spec("Always", ["a", "b", "c"])), cmd("BindPod", { nodeName: "n" }),
      ...["a", "b", "c"].flatMap((c) => [cmd("ContainerStarted", { container: c }), cmd("ContainerExited", { container: c, exitCode: 1 }, 1)])));
    const { object, ...rest } = state;
    expect(JSON.stringify(rest).length).toBeLessThan(500);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    void object;
  });
});

describe("pod decider: image pulls", () => {
  const bound = () => play(create(), cmd("BindPod", { nodeName: "node-1" }));
  const err = (message = "image not found") => cmd("ReportContainerWaiting", { container: "app", reason: "ErrImagePull", message });
  const backoff = cmd("ReportContainerWaiting", { container: "app", reason: "ImagePullBackOff", message: 'Back-off pulling image "img/app"' });

  it("shows ErrImagePull, then ImagePullBackOff, as the container's waiting state; the pod stays Pending", () => {
    const events = given(pods, bound()).when(err()).then([{ type: "ContainerWaiting", data: { container: "app", reason: "ErrImagePull", message: "image not found" } }]);
    const after = stateAfter([...bound(), ...events]);
    expect(container(after)?.state).toEqual({ waiting: { reason: "ErrImagePull", message: "image not found" } });
    const later = given(pods, [...bound(), ...events]).when(backoff).then([{ type: "ContainerWaiting", data: backoff.data as object }]);
    const waiting = stateAfter([...bound(), ...events, ...later]);
    expect(container(waiting)).toMatchObject({ state: { waiting: { reason: "ImagePullBackOff" } }, restartCount: 0 });
    expect(waiting.object?.status.phase).toBe("Pending");
  });

  it("starts from a pull back-off once the image is had; a repeat, or a report about a running container, records nothing", () => {
    const pulled = play(create(), cmd("BindPod", { nodeName: "node-1" }), err(), backoff);
    given(pods, pulled).when(backoff).thenNothingHappened();
    given(pods, pulled).when(cmd("ContainerStarted", { container: "app" })).then(([e]) => expect(e?.type).toBe("ContainerStarted"));
    given(pods, running()).when(err()).thenNothingHappened();
  });
});
