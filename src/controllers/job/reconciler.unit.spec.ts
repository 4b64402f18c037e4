import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import { storedJobSpec, checkJob, JOB_UID_LABEL } from "../../actors/job/index.js";
import { JobSpec, jobCompletionsWord, jobStatusWord } from "../../api/job.js";
import type { ControllerContext } from "../context.js";
import { jobPodName } from "./decide.js";
import { JobReconciler } from "./reconciler.js";
import { ControlledPods } from "../controlledPods.js";
import { FiledIndex } from "../filedIndex.js";

const spec = storedJobSpec({
  template: { metadata: { labels: { app: "pi" } }, spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never", terminationGracePeriodSeconds: 30 } },
  completions: 2,
} as JobSpec, { name: "pi", uid: "u-pi" });
const job = (status?: object) => ({ kind: "Job", metadata: { name: "pi", namespace: "default", uid: "u-pi", creationTimestamp: "2026-12-06T10:00:00Z" }, spec, ...(status ? { status } : {}) });
const owned = (name: string, phase: string) => ({
  kind: "Pod", metadata: { name, namespace: "default", uid: `uid-${name}`, ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "pi", uid: "u-pi", controller: true }] },
  spec: spec.template.spec, status: { phase },
});

function setUp(podReply = okReply) {
  const view = new MemoryView();
  const sender = new RecordingSender((ref) => (ref.resource === "pods" ? podReply() : okReply()));
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  const controller = new JobReconciler(ctx, new FiledIndex(new ControlledPods(["Job"], [])), () => Date.parse("2026-12-06T10:00:05Z"));
  view.onChange((change) => controller.keysOf(change)); // as the keyed loop offers every change
  return { view, sender, controller };
}

describe("the job controller", () => {
  it("labels a Job's pods with its uid and selects them by it, and keeps its template and selector", () => {
    expect(spec.selector).toEqual({ matchLabels: { [JOB_UID_LABEL]: "u-pi" } });
    expect(spec).toMatchObject({ completions: 2, parallelism: 1, backoffLimit: 6, completionMode: "NonIndexed", suspend: false }); // defaults stored, a given value kept
    expect(JobSpec.safeParse({ ...spec, completionMode: "Indexed" }).error?.issues[0]?.message).toBe('Unsupported value: "Indexed": supported values: "NonIndexed"');
    expect(spec.template.metadata.labels).toEqual({ app: "pi", [JOB_UID_LABEL]: "u-pi", "batch.kubernetes.io/job-name": "pi", "controller-uid": "u-pi", "job-name": "pi" });
    expect(() => checkJob({ ...spec, parallelism: 3 }, { spec }, "pi")).not.toThrow();
    expect(storedJobSpec(spec, { name: "pi", uid: "u-pi" }).selector).toEqual(spec.selector); // given back by an update: kept
    expect(() => storedJobSpec({ ...spec, selector: { matchLabels: { app: "pi" } } }, { name: "pi", uid: "u-pi" })).toThrow(/spec\.selector: Invalid value: .*`selector` not auto-generated/);
    expect(storedJobSpec({ ...spec, selector: { matchLabels: { app: "pi" } }, manualSelector: true }, { name: "pi", uid: "u-pi" }).selector).toEqual({ matchLabels: { app: "pi" } });
    expect(() => checkJob({ ...spec, completions: 3 }, { spec }, "pi")).toThrow(/field is immutable/);
    expect(() => checkJob({ ...spec, template: { ...spec.template, spec: { ...spec.template.spec, restartPolicy: "OnFailure" } } }, { spec }, "pi")).toThrow(/field is immutable/);
  });

  it("creates its pods with the template and a controller reference, and records its status", async () => {
    const { view, sender, controller } = setUp();
    view.put("jobs", job());
    await controller.sync("default/pi");
    const creates = sender.sent.filter((s) => s.command.type === "CreatePod");
    expect(creates.map((s) => s.ref.name)).toEqual([jobPodName({ name: "pi", uid: "u-pi" }, 0)]);
    expect(creates[0]?.command.data).toMatchObject({
      metadata: { labels: { [JOB_UID_LABEL]: "u-pi" }, ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "pi", uid: "u-pi", controller: true, blockOwnerDeletion: true }] },
      spec: { restartPolicy: "Never" },
    });
    expect(sender.sent.find((s) => s.command.type === "RecordJobStatus")?.command.data).toEqual({ startTime: "2026-12-06T10:00:05Z", active: 0, succeeded: 0, failed: 0, ready: 0 });
  });

  it("works on the Job a change concerns: the Job itself, or a pod it controls, also when the pod goes", () => {
    const view = new MemoryView();
    const controller = new JobReconciler({ view, sender: new RecordingSender(), now: () => 0, logger: pino({ level: "silent" }) }, new FiledIndex(new ControlledPods(["Job"], [])));
    const keys: string[][] = [];
    view.onChange((change) => keys.push(controller.keysOf(change)));
    view.put("jobs", job());
    view.put("pods", owned("pi-1", "Running"));
    view.put("pods", { kind: "Pod", metadata: { name: "other", namespace: "default" }, spec: {}, status: {} });
    view.remove("pods", "default", "pi-1");
    expect(keys).toEqual([["default/pi"], ["default/pi"], [], ["default/pi"]]);
  });

  it("leaves a finished Job alone: its counts stay when its pods are deleted, and the resync skips it", async () => {
    const { view, sender, controller } = setUp();
    const done = { startTime: "2026-12-06T10:00:00Z", completionTime: "2026-12-06T10:00:03Z", active: 0, succeeded: 2, failed: 0, ready: 0, conditions: [{ type: "Complete", status: "True" }] };
    view.put("jobs", job(done));
    await controller.sync("default/pi");
    expect(sender.sent).toEqual([]);
    expect(controller.allKeys()).toEqual([]);
  });

  it("throws when a create is refused (the queue tries again after its backoff), but not for a name already taken", async () => {
    const taken = setUp(() => refusedReply("AlreadyExists", 409, "pods \"x\" already exists"));
    taken.view.put("jobs", job());
    await expect(taken.controller.sync("default/pi")).resolves.toBeUndefined();
    const quota = setUp(() => refusedReply("Forbidden", 403, "exceeded quota"));
    quota.view.put("jobs", job());
    await expect(quota.controller.sync("default/pi")).rejects.toThrow(/CreatePod pi-\w{5}: exceeded quota/);
  });

  it("waits for the view to show the pods it created before it counts again: a finished pod's removal seen first makes no extra pod", async () => {
    const { view, sender, controller } = setUp(() => okReply(1_000)); // the view has not applied the create yet
    const first = jobPodName({ name: "pi", uid: "u-pi" }, 0);
    const second = jobPodName({ name: "pi", uid: "u-pi" }, 1);
    view.put("jobs", job({ startTime: "2026-12-06T10:00:00Z", succeeded: 1 }));
    view.put("pods", owned(first, "Succeeded"));
    await controller.sync("default/pi");
    view.remove("pods", "default", first); // a user deletes the finished pod before the view shows the new one
    await controller.sync("default/pi");
    const creates = () => sender.sent.filter((s) => s.command.type === "CreatePod").map((s) => s.ref.name);
    expect(creates()).toEqual([second]);

    view.appliedSequence = 1_000;
    view.put("pods", owned(second, "Running"));
    await controller.sync("default/pi");
    expect(creates()).toEqual([second]);
    expect(sender.sent.at(-1)?.command).toMatchObject({ type: "RecordJobStatus", data: { active: 1, succeeded: 1 } });
  });

  it("completes once its completions succeeded, creating nothing more", async () => {
    const { view, sender, controller } = setUp();
    view.put("jobs", job({ startTime: "2026-12-06T10:00:00Z" }));
    view.put("pods", owned("pi-a", "Succeeded"));
    view.put("pods", owned("pi-b", "Succeeded"));
    await controller.sync("default/pi");
    expect(sender.sent.map((s) => s.command.type)).toEqual(["RecordJobStatus"]);
    expect(sender.sent[0]?.command.data).toMatchObject({ succeeded: 2, completionTime: "2026-12-06T10:00:05Z", conditions: [{ type: "Complete", status: "True" }] });
  });

  it("deletes a finished Job once its ttlSecondsAfterFinished has passed, waking when that time comes", async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      let wall = Date.parse("2026-12-06T10:00:05Z");
      const view = new MemoryView();
      const sender = new RecordingSender();
      const controller = new JobReconciler({ view, sender, now: () => clock, logger: pino({ level: "silent" }) }, new FiledIndex(new ControlledPods(["Job"], [])), () => wall);
      const woken: string[] = [];
      const unwatch = controller.watch((key) => woken.push(key));
      const ttlJob = { ...job({ startTime: "2026-12-06T10:00:00Z", completionTime: "2026-12-06T10:00:03Z", succeeded: 2, conditions: [{ type: "Complete", status: "True" }] }), spec: { ...spec, ttlSecondsAfterFinished: 10 } };
      view.put("jobs", ttlJob);
      expect(controller.allKeys()).toEqual(["default/pi"]); // a finished Job with a time-to-live is still looked at
      await controller.sync("default/pi");
      expect(sender.sent).toEqual([]);

      clock += 7_999;
      wall += 7_999;
      vi.advanceTimersByTime(7_999);
      expect(woken).toEqual([]);
      clock += 1;
      wall += 1;
      vi.advanceTimersByTime(1);
      expect(woken).toEqual(["default/pi"]);
      await controller.sync("default/pi");
      expect(sender.sent.map((s) => [s.command.type, s.ref.name])).toEqual([["DeleteJob", "pi"]]);
      unwatch();
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows a work queue's completions and a suspended Job's status as kubectl does", () => {
    const queue = storedJobSpec({ template: spec.template, parallelism: 3 } as JobSpec, { name: "q", uid: "u-q" });
    expect(queue.completions).toBeUndefined();
    expect(jobCompletionsWord({ spec: queue, status: { succeeded: 1 } })).toBe("1/1 of 3");
    expect(jobCompletionsWord({ spec: { ...queue, parallelism: 1 } })).toBe("0/1");
    expect(jobCompletionsWord({ spec })).toBe("0/2");
    expect(jobStatusWord({ spec, status: { conditions: [{ type: "Suspended", status: "True" }] } })).toBe("Suspended");
    expect(jobStatusWord({ spec, status: { conditions: [{ type: "Suspended", status: "False" }] } })).toBe("Running");
  });
});
