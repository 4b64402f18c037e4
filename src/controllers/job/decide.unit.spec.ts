import { describe, expect, it } from "vitest";
import type { JobSpec, JobStatus } from "../../api/job.js";
import type { Pod } from "../../api/pod.js";
import { decideJob, jobBackoffMs, jobDueAt, jobExpired, jobPodName } from "./decide.js";

const NOW = "2026-12-06T10:00:00Z";
const template = { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never", terminationGracePeriodSeconds: 30 } } as JobSpec["template"];
const job = (spec: Partial<JobSpec> = {}, status?: JobStatus) => ({ name: "pi", uid: "u-1", spec: { template, ...spec }, status });
const pod = (name: string, phase: Pod["status"]["phase"], extra: Partial<Pod["metadata"]> = {}) =>
  ({ kind: "Pod", metadata: { name, namespace: "default", uid: `uid-${name}`, ...extra }, spec: template.spec, status: { phase } }) as unknown as Pod;
const none = () => false;

describe("the job controller's decision", () => {
  it("names a Job's pods from its uid and index, stably, as generated names look", () => {
    expect(jobPodName({ name: "pi", uid: "u-1" }, 0)).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(jobPodName({ name: "pi", uid: "u-1" }, 0)).toBe(jobPodName({ name: "pi", uid: "u-1" }, 0));
    expect(jobPodName({ name: "pi", uid: "u-1" }, 1)).not.toBe(jobPodName({ name: "pi", uid: "u-1" }, 0));
    expect(jobPodName({ name: "pi", uid: "u-2" }, 0)).not.toBe(jobPodName({ name: "pi", uid: "u-1" }, 0));
  });

  it("starts one pod by default and records the start; asks for the same pod again while the view has not shown it", () => {
    const first = decideJob(job(), [], none, NOW, Date.parse(NOW));
    expect(first.create).toEqual([jobPodName(job(), 0)]);
    expect(first.status).toEqual({ startTime: NOW, active: 0, succeeded: 0, failed: 0, ready: 0 });
    expect(decideJob(job(), [], none, NOW, Date.parse(NOW)).create).toEqual(first.create); // a lagging view: the same name, refused as taken
  });

  it("runs at most parallelism pods, no more than the completions still wanted, skipping names taken", () => {
    const j = job({ completions: 5, parallelism: 3 });
    const running = pod(jobPodName(j, 0), "Running");
    const done = pod(jobPodName(j, 1), "Succeeded");
    const taken = (n: string) => [running, done].some((p) => p.metadata.name === n) || n === jobPodName(j, 2);
    const d = decideJob(j, [running, done], taken, NOW, Date.parse(NOW));
    expect(d.create).toEqual([jobPodName(j, 3), jobPodName(j, 4)]);
    expect(d.status).toMatchObject({ active: 1, succeeded: 1 });
    const almost = decideJob(j, [running, ...[1, 2, 3, 4].map((i) => pod(jobPodName(j, i), "Succeeded"))], taken, NOW, Date.parse(NOW));
    expect(almost.create).toHaveLength(0); // 4 done + 1 running: the last completion is underway
  });

  it("completes once enough pods succeeded, keeping the start and the first completion time", () => {
    const j = job({ completions: 2 }, { startTime: "2026-12-06T09:59:00Z" });
    const d = decideJob(j, [pod("a", "Succeeded"), pod("b", "Succeeded")], none, NOW, Date.parse(NOW));
    expect(d.create).toEqual([]);
    expect(d.status).toMatchObject({ startTime: "2026-12-06T09:59:00Z", completionTime: NOW, succeeded: 2, active: 0, conditions: [{ type: "Complete", status: "True" }] });
    expect(decideJob({ ...j, status: d.status }, [pod("a", "Succeeded"), pod("b", "Succeeded")], none, "2026-12-06T11:00:00Z", 0).status).toEqual(d.status);
  });

  it("fails past the backoff limit or the active deadline, deleting what still runs", () => {
    const j = job({ backoffLimit: 1, completions: 3, parallelism: 2 });
    const failing = decideJob(j, [pod("f1", "Failed"), pod("f2", "Failed"), pod("r", "Running")], none, NOW, Date.parse(NOW));
    expect(failing).toMatchObject({ create: [], delete: ["r"], status: { failed: 2, conditions: [{ type: "Failed", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }] } });
    expect(decideJob(j, [pod("f1", "Failed"), pod("r", "Running")], none, NOW, Date.parse(NOW)).status.conditions).toBeUndefined();
    const late = job({ activeDeadlineSeconds: 60 }, { startTime: "2026-12-06T09:58:00Z" });
    expect(decideJob(late, [pod("r", "Running")], none, NOW, Date.parse(NOW))).toMatchObject({ delete: ["r"], status: { conditions: [{ type: "Failed", reason: "DeadlineExceeded" }] } });
    const failed = { ...j, status: failing.status };
    expect(decideJob(failed, [pod("r", "Running")], none, NOW, Date.parse(NOW))).toMatchObject({ create: [], delete: ["r"] });
  });

  it("makes the next pod after a failure only once the back-off since the last failure has passed: 10 s, doubling with the failures since the last success, at most 10 min", () => {
    const failedAt = (name: string, at: number) => ({
      ...pod(name, "Failed"),
      status: { phase: "Failed", containerStatuses: [{ name: "c", ready: false, restartCount: 0, image: "busybox", state: { terminated: { exitCode: 1, finishedAt: new Date(at).toISOString() } } }] },
    }) as unknown as Pod;
    const t = Date.parse(NOW);
    const once = [failedAt(jobPodName(job(), 0), t - 3_000)];
    expect(decideJob(job(), once, none, NOW, t)).toMatchObject({ create: [], backoffUntil: t + 7_000, status: { failed: 1 } });
    expect(decideJob(job(), once, none, NOW, t + 7_000).create).toEqual([jobPodName(job(), 0)]);
    const twice = [...once, failedAt(jobPodName(job(), 1), t - 1_000)];
    expect(decideJob(job(), twice, none, NOW, t).backoffUntil).toBe(t + 19_000);
    expect([jobBackoffMs(0), jobBackoffMs(1), jobBackoffMs(3), jobBackoffMs(20)]).toEqual([0, 10_000, 40_000, 600_000]);
    // A success since resets the count: one failure after it is 10 s again.
    const succeeded = { ...failedAt(jobPodName(job(), 2), t - 500), status: { ...failedAt("x", t - 500).status, phase: "Succeeded" } } as unknown as Pod;
    const after = [...twice, succeeded, failedAt(jobPodName(job(), 3), t - 100)];
    expect(decideJob(job({ completions: 3 }), after, none, NOW, t).backoffUntil).toBe(t + 9_900);
    // OnFailure restarts in place (the container's own back-off): no wait here.
    expect(decideJob(job({ template: { ...template, spec: { ...template.spec, restartPolicy: "OnFailure" } } }), once, none, NOW, t).create).toHaveLength(1);
  });

  it("counts a pod being deleted neither active nor finished", () => {
    const d = decideJob(job(), [pod("gone", "Running", { deletionTimestamp: NOW })], none, NOW, Date.parse(NOW));
    expect(d.status.active).toBe(0);
    expect(d.create).toHaveLength(1);
  });

  it("fails an OnFailure Job whose containers restarted as often as its backoff limit (its pods never fail)", () => {
    const onFailure = { ...template, spec: { ...template.spec, restartPolicy: "OnFailure" } } as JobSpec["template"];
    const crashing = (n: number) => ({ ...pod("c", "Running"), status: { phase: "Running", containerStatuses: [{ name: "c", restartCount: n }] } }) as unknown as Pod;
    expect(decideJob(job({ template: onFailure, backoffLimit: 2 }), [crashing(1)], none, NOW, Date.parse(NOW)).status.conditions).toBeUndefined();
    expect(decideJob(job({ template: onFailure, backoffLimit: 2 }), [crashing(2)], none, NOW, Date.parse(NOW))).toMatchObject({
      delete: ["c"], status: { conditions: [{ type: "Failed", reason: "BackoffLimitExceeded" }] },
    });
    expect(decideJob(job({ template: onFailure, backoffLimit: 0 }), [crashing(1)], none, NOW, Date.parse(NOW)).status.conditions?.[0]?.type).toBe("Failed");
  });

  it("deletes what runs beyond a lowered parallelism, and what still runs once the completions are reached, then completes", () => {
    const j = job({ completions: 4, parallelism: 1 });
    expect(decideJob(j, [pod("a", "Running"), pod("b", "Running")], none, NOW, Date.parse(NOW))).toMatchObject({ create: [], delete: ["b"] });
    const reached = decideJob(job({ completions: 1, parallelism: 2 }), [pod("a", "Succeeded"), pod("b", "Running")], none, NOW, Date.parse(NOW));
    expect(reached).toMatchObject({ create: [], delete: ["b"] });
    expect(reached.status.conditions).toBeUndefined();
  });

  it("never counts lower than recorded: a finished pod deleted later stays counted", () => {
    const d = decideJob(job({ completions: 3 }, { startTime: NOW, succeeded: 2, failed: 1 }), [], none, NOW, Date.parse(NOW));
    expect(d.status).toMatchObject({ succeeded: 2, failed: 1 });
    expect(d.create).toHaveLength(1);
  });

  it("runs a work queue (parallelism without completions): no pod starts once one succeeded, and it completes when none runs", () => {
    const j = job({ parallelism: 3 });
    expect(decideJob(j, [], none, NOW, Date.parse(NOW)).create).toHaveLength(3);
    const oneDone = decideJob(j, [pod("a", "Succeeded"), pod("b", "Running")], none, NOW, Date.parse(NOW));
    expect(oneDone).toMatchObject({ create: [], delete: [], status: { active: 1, succeeded: 1 } });
    expect(oneDone.status.conditions).toBeUndefined();
    const failedOnly = decideJob(j, [pod("a", "Failed"), pod("b", "Running")], none, NOW, Date.parse(NOW));
    expect(failedOnly.create).toHaveLength(2); // no success yet: the queue still has work
    const done = decideJob(j, [pod("a", "Succeeded"), pod("b", "Succeeded"), pod("c", "Failed")], none, NOW, Date.parse(NOW));
    expect(done.status).toMatchObject({ succeeded: 2, completionTime: NOW, conditions: [{ type: "Complete", status: "True" }] });
  });

  it("deletes what runs while suspended, starting nothing and its deadline stopped; resumed, it starts afresh", () => {
    const j = job({ suspend: true, completions: 2, activeDeadlineSeconds: 60 }, { startTime: "2026-12-06T09:00:00Z", active: 1 });
    const suspended = decideJob(j, [pod("a", "Running"), pod("b", "Succeeded")], none, NOW, Date.parse(NOW));
    expect(suspended).toMatchObject({ create: [], delete: ["a"], status: { succeeded: 1, conditions: [{ type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended" }] } });
    expect(suspended.status.startTime).toBeUndefined();
    expect(jobDueAt({ ...j, status: suspended.status })).toBeUndefined();
    const again = decideJob({ ...j, status: suspended.status }, [pod("b", "Succeeded")], none, "2026-12-06T11:00:00Z", 0);
    expect(again.status.conditions).toEqual(suspended.status.conditions); // its transition time kept

    const later = "2026-12-06T12:00:00Z";
    const resumed = decideJob({ ...j, spec: { ...j.spec, suspend: false }, status: suspended.status }, [pod("b", "Succeeded")], none, later, Date.parse(later));
    expect(resumed.create).toHaveLength(1);
    expect(resumed.status).toMatchObject({ startTime: later, conditions: [{ type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed", lastTransitionTime: later }] });
    expect(jobDueAt({ ...j, spec: { ...j.spec, suspend: false }, status: resumed.status })).toBe(Date.parse(later) + 60_000);
  });

  it("is due at its active deadline while it runs, and for deletion ttlSecondsAfterFinished after it finished", () => {
    const complete = { startTime: "2026-12-06T09:00:00Z", completionTime: NOW, conditions: [{ type: "Complete", status: "True" as const }] };
    expect(jobDueAt(job({ activeDeadlineSeconds: 30 }, { startTime: NOW }))).toBe(Date.parse(NOW) + 30_000);
    expect(jobDueAt(job({}, { startTime: NOW }))).toBeUndefined();
    expect(jobDueAt(job({ activeDeadlineSeconds: 30 }, complete))).toBeUndefined(); // finished, no time-to-live
    expect(jobDueAt(job({ ttlSecondsAfterFinished: 100 }, complete))).toBe(Date.parse(NOW) + 100_000);
    expect(jobExpired(job({ ttlSecondsAfterFinished: 100 }, complete), Date.parse(NOW) + 99_999)).toBe(false);
    expect(jobExpired(job({ ttlSecondsAfterFinished: 100 }, complete), Date.parse(NOW) + 100_000)).toBe(true);
    expect(jobExpired(job({ ttlSecondsAfterFinished: 0 }, { startTime: NOW }), Date.parse(NOW) + 1e9)).toBe(false); // still running
    const failed = { startTime: NOW, conditions: [{ type: "Failed", status: "True" as const, lastTransitionTime: "2026-12-06T10:00:10Z" }] };
    expect(jobExpired(job({ ttlSecondsAfterFinished: 5 }, failed), Date.parse("2026-12-06T10:00:15Z"))).toBe(true);
    expect(jobExpired(job({ ttlSecondsAfterFinished: 5 }, failed), Date.parse("2026-12-06T10:00:14Z"))).toBe(false);
  });
});
