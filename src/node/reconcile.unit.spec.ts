import { describe, expect, it } from "vitest";
import { attemptOf, planNode, planPodUid, LOST_EXIT_CODE, type NodeAction, type NodeFacts } from "./reconcile.js";
import { boundPod, withState } from "../../test/harness/podFixtures.js";
import type { ContainerRecord } from "./runtime.js";
import type { Pod } from "../api/pod.js";

const NOW = Date.parse("2026-01-01T00:01:00Z");

function facts(pods: Pod[], containers: ContainerRecord[] = [], acked: string[] = []): NodeFacts {
  return { pods, containers, acked: new Set(acked), nowMs: NOW, hostIP: "10.0.0.7" };
}

function record(pod: Pod, more: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    podUid: pod.metadata.uid, namespace: "default", podName: pod.metadata.name, container: "c0", attempt: 0,
    phase: "running", graceMs: 30_000, hooks: [], startedAt: "2026-01-01T00:00:10.000Z", ...more,
  };
}

function types(actions: NodeAction[]): string[] {
  return actions.map((a) => a.type);
}

function reportIds(actions: NodeAction[]): string[] {
  return actions.flatMap((a) => (a.type === "report" ? a.reports.map((r) => r.id) : []));
}

describe("planNode: desired (the view) against actual (the runtime)", () => {
  const pod = boundPod("web", "n1", [{ command: ["sleep", "1000"] }]);

  it("starts a container that waits to be created, as attempt 0", () => {
    const actions = planNode(facts([pod]));
    expect(actions).toEqual([expect.objectContaining({ type: "start", launch: expect.objectContaining({ podUid: "uid-web", attempt: 0, graceMs: 30_000 }) })]);
  });

  it("does not start it twice while it is starting or running", () => {
    const starting = record(pod, { phase: "starting" });
    delete starting.startedAt;
    expect(planNode(facts([pod], [starting]))).toEqual([]);
    const running = withState(pod, "c0", { running: { startedAt: "2026-01-01T00:00:10Z" } });
    expect(planNode(facts([running], [record(pod)], ["uid-web/c0/0/started", "uid-web/podStatus"]))).toEqual([]);
  });

  it("reports the addresses on their own when the start was already answered, and never once they are answered", () => {
    const running = withState(pod, "c0", { running: { startedAt: "2026-01-01T00:00:10Z" } });
    const actions = planNode(facts([running], [record(pod)], ["uid-web/c0/0/started"]));
    expect(actions.flatMap((a) => (a.type === "report" ? a.reports.map((r) => r.command) : []))).toEqual([
      { type: "ReportPodStatus", id: "uid-web/podStatus", data: { podIP: "10.0.0.7", hostIP: "10.0.0.7" } },
    ]);
    expect(planNode(facts([running], [record(pod)], ["uid-web/c0/0/started", "uid-web/podStatus"]))).toEqual([]);
  });

  it("reports a start, then an exit, in that order, with durable ids", () => {
    const exit = { exitCode: 3, reason: "Error" as const, finishedAt: "2026-01-01T00:00:20.000Z" };
    const actions = planNode(facts([pod], [record(pod, { phase: "exited", exit })]));
    // The pod's addresses ride on the start, as the kubelet's one status update carries both.
    expect(reportIds(actions)).toEqual(["uid-web/c0/0/started", "uid-web/c0/0/exited"]);
    const started = actions.flatMap((a) => (a.type === "report" ? a.reports : [])).find((r) => r.id.endsWith("started"));
    expect(started?.command.data).toEqual({ container: "c0", startedAt: "2026-01-01T00:00:10.000Z", podIP: "10.0.0.7", hostIP: "10.0.0.7" });
    expect(started?.covers).toEqual(["uid-web/podStatus"]);
    const exited = actions.flatMap((a) => (a.type === "report" ? a.reports : [])).find((r) => r.id.endsWith("exited"));
    expect(exited?.command).toEqual({ type: "ContainerExited", id: "uid-web/c0/0/exited", data: { container: "c0", ...exit } });
    expect(exited?.ref).toEqual({ resource: "pods", namespace: "default", name: "web" });
  });

  it("leaves out the reports already answered", () => {
    const exit = { exitCode: 0, finishedAt: "2026-01-01T00:00:20.000Z" };
    expect(reportIds(planNode(facts([pod], [record(pod, { phase: "exited", exit })], ["uid-web/c0/0/started", "uid-web/podStatus"])))).toEqual(["uid-web/c0/0/exited"]);
  });

  it("starts the next attempt when the actor's back-off has put the container back to ContainerCreating", () => {
    const again = withState(pod, "c0", { waiting: { reason: "ContainerCreating" } }, { restartCount: 1, lastState: { terminated: { exitCode: 1 } } });
    const old = record(pod, { phase: "exited", exit: { exitCode: 1, finishedAt: "2026-01-01T00:00:20.000Z" } });
    const actions = planNode(facts([again], [old], ["uid-web/c0/0/started", "uid-web/c0/0/exited", "uid-web/podStatus"]));
    expect(actions).toEqual([expect.objectContaining({ type: "start", launch: expect.objectContaining({ attempt: 2 }) })]);
  });

  it("does not restart a container in CrashLoopBackOff, nor one that exited and waits for the view", () => {
    const backoff = withState(pod, "c0", { waiting: { reason: "CrashLoopBackOff" } }, { lastState: { terminated: { exitCode: 1 } } });
    const old = record(pod, { phase: "exited", exit: { exitCode: 1, finishedAt: "2026-01-01T00:00:20.000Z" } });
    const acked = ["uid-web/c0/0/started", "uid-web/c0/0/exited", "uid-web/podStatus"];
    expect(planNode(facts([backoff], [old], acked))).toEqual([]);
    expect(planNode(facts([pod], [old], acked))).toEqual([]);
  });

  it("stops the containers of a pod being deleted, within what is left of its grace period", () => {
    const deleting: Pod = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: "2026-01-01T00:01:05Z" } };
    expect(planNode(facts([deleting], [record(pod)], ["uid-web/c0/0/started", "uid-web/podStatus"])))
      .toEqual([{ type: "stop", podUid: "uid-web", container: "c0", graceMs: 5000 }]);
  });

  it("never starts a container of a pod being deleted or ended", () => {
    const deleting: Pod = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: "2026-01-01T00:01:05Z" } };
    const failed: Pod = { ...pod, status: { ...pod.status, phase: "Failed" } };
    expect(planNode(facts([deleting]))).toEqual([]);
    expect(planNode(facts([failed]))).toEqual([]);
  });

  it("stops the containers of a pod that is gone, and forgets ended ones, without reporting", () => {
    const ended = record(boundPod("old", "n1", [{}]), { phase: "exited", exit: { exitCode: 0, finishedAt: "2026-01-01T00:00:20.000Z" } });
    const actions = planNode(facts([], [record(pod), ended]));
    expect(actions).toEqual([
      { type: "stop", podUid: "uid-web", container: "c0", graceMs: 30_000 },
      { type: "forget", podUid: "uid-old", container: "c0" },
    ]);
  });

  it("stops a live container of an older attempt before starting the new one", () => {
    const again = withState(pod, "c0", { waiting: { reason: "ContainerCreating" } }, { restartCount: 3, lastState: { terminated: { exitCode: 1 } } });
    expect(types(planNode(facts([again], [record(pod)], ["uid-web/c0/0/started", "uid-web/podStatus"])))).toEqual(["stop"]);
  });

  it("reports a container the view shows running but the runtime does not know as exited (lost)", () => {
    const running = withState(pod, "c0", { running: { startedAt: "2026-01-01T00:00:10Z" } });
    const actions = planNode(facts([running]));
    const report = actions.find((a) => a.type === "report");
    expect(report).toMatchObject({ reports: [{ id: "uid-web/c0/0/lost", command: { type: "ContainerExited", data: { exitCode: LOST_EXIT_CODE } } }] });
  });

  it("reports hooks, a liveness failure and a failed start", () => {
    const r = record(pod, {
      phase: "exited", hooks: [{ hook: "postStart", ok: true }], probeFailure: "Liveness probe failed: boom",
      exit: { exitCode: 137, finishedAt: "2026-01-01T00:00:20.000Z" },
    });
    expect(reportIds(planNode(facts([pod], [r], ["uid-web/podStatus"])))).toEqual([
      "uid-web/c0/0/started", "uid-web/c0/0/postStart", "uid-web/c0/0/liveness", "uid-web/c0/0/exited",
    ]);
    const cannot = record(pod, { phase: "cannotRun", cannotRun: "exec: \"nope\": executable file not found in $PATH" });
    delete cannot.startedAt;
    expect(reportIds(planNode(facts([pod], [cannot])))).toEqual(["uid-web/c0/0/cannotRun"]);
  });

  it("reports only the latest readiness change of a live container, each change under its own id, and a startup failure as such", () => {
    const r = record(pod, { readiness: { ready: false, message: "HTTP 503", id: "s1.2", count: 2 } });
    const reports = planNode(facts([pod], [r], ["uid-web/podStatus", "uid-web/c0/0/started", "uid-web/c0/0/ready/s1.1"]))
      .flatMap((a) => (a.type === "report" ? a.reports : []));
    expect(reports).toEqual([expect.objectContaining({
      id: "uid-web/c0/0/ready/s1.2", command: expect.objectContaining({ type: "ReportReadiness", data: { container: "c0", ready: false, message: "HTTP 503" } }),
    })]);
    expect(reportIds(planNode(facts([pod], [r], ["uid-web/podStatus", "uid-web/c0/0/started", "uid-web/c0/0/ready/s1.2"])))).toEqual([]);
    const failed = record(pod, { readiness: r.readiness, probeFailure: "refused", failedProbe: "startup", phase: "exited", exit: { exitCode: 137, finishedAt: "2026-01-01T00:00:20.000Z" } });
    expect(reportIds(planNode(facts([pod], [failed], ["uid-web/podStatus"])))).toEqual(["uid-web/c0/0/started", "uid-web/c0/0/startup", "uid-web/c0/0/exited"]);
  });
});

describe("planPodUid: one pod alone, as planNode decides it", () => {
  const web = boundPod("web", "n1", [{}]);
  const db = withState(boundPod("db", "n1", [{}]), "c0", { running: { startedAt: "2026-01-01T00:00:10Z" } });
  const old = record(boundPod("old", "n1", [{}]), { phase: "exited", exit: { exitCode: 0, finishedAt: "2026-01-01T00:00:20.000Z" } });
  const all = facts([web, db], [record(db), old], ["uid-db/c0/0/started"]);

  it("gives, pod by pod, exactly the actions of the whole node's plan", () => {
    const perPod = [
      ...planPodUid("uid-web", web, [], all),
      ...planPodUid("uid-db", db, [record(db)], all),
      ...planPodUid("uid-old", undefined, [old], all),
    ];
    expect(perPod).toEqual(planNode(all));
    expect(types(perPod)).toEqual(["start", "report", "forget"]);
  });

  it("stops the live containers of a uid no longer bound, or whose name now holds another pod", () => {
    const stop = [{ type: "stop", podUid: "uid-db", container: "c0", graceMs: 30_000 }];
    expect(planPodUid("uid-db", undefined, [record(db)], all)).toEqual(stop);
    const successor = boundPod("db", "n1", [{}], { uid: "uid-db-2" });
    expect(planPodUid("uid-db", successor, [record(db)], all)).toEqual(stop);
  });
});

describe("attemptOf", () => {
  it("grows from one start to the next whether restartCount counts at the exit or at the next start", () => {
    const waiting = { name: "c0", ready: false, image: "i", state: { waiting: { reason: "ContainerCreating" } } };
    expect(attemptOf(undefined)).toBe(0);
    expect(attemptOf({ ...waiting, restartCount: 0 })).toBe(0);
    expect(attemptOf({ ...waiting, restartCount: 0, lastState: { terminated: { exitCode: 1 } } })).toBe(1);
    expect(attemptOf({ ...waiting, restartCount: 1, lastState: { terminated: { exitCode: 1 } } })).toBe(2);
  });
});
