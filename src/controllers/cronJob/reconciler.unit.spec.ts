import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import { cronJobJobName } from "./decide.js";
import { CronJobReconciler } from "./reconciler.js";

const cronJob = {
  kind: "CronJob", metadata: { name: "tick", namespace: "default", uid: "u-tick", creationTimestamp: "2026-12-06T10:00:30Z" },
  spec: {
    schedule: "*/5 * * * *", concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
    jobTemplate: { metadata: { labels: { app: "tick" }, annotations: { team: "a" } }, spec: { template: { metadata: {}, spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never" } } } },
  },
};

describe("the cronjob controller", () => {
  it("makes the Job of a time that came, with the template's labels, the time and a controller reference, and wakes at the next time", async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      let wall = Date.parse("2026-12-06T10:04:00Z");
      const view = new MemoryView();
      const sender = new RecordingSender();
      const controller = new CronJobReconciler({ view, sender, now: () => clock, logger: pino({ level: "silent" }) }, () => wall);
      const woken: string[] = [];
      const unwatch = controller.watch((key) => woken.push(key));
      view.put("cronjobs", cronJob);
      await controller.sync("default/tick");
      expect(sender.sent).toEqual([]);

      clock += 59_999;
      wall += 59_999;
      vi.advanceTimersByTime(59_999);
      expect(woken).toEqual([]);
      clock += 1;
      wall += 1;
      vi.advanceTimersByTime(1);
      expect(woken).toEqual(["default/tick"]);
      await controller.sync("default/tick");
      const name = cronJobJobName("tick", Date.parse("2026-12-06T10:05:00Z"));
      expect(sender.sent.map((s) => [s.command.type, s.ref.name])).toEqual([["CreateJob", name], ["RecordCronJobStatus", "tick"]]);
      expect(sender.sent[0]?.command.data).toMatchObject({
        metadata: {
          name, labels: { app: "tick" }, annotations: { team: "a", "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-12-06T10:05:00Z" },
          ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "tick", uid: "u-tick", controller: true }],
        },
        spec: { template: { spec: { restartPolicy: "Never" } } },
      });
      expect(sender.sent[1]?.command.data).toEqual({ lastScheduleTime: "2026-12-06T10:05:00Z" });
      unwatch();
    } finally {
      vi.useRealTimers();
    }
  });

  it("works on the CronJob a change concerns: itself, a Job it controls, or any of the namespace's when a Job goes", () => {
    const view = new MemoryView();
    const controller = new CronJobReconciler({ view, sender: new RecordingSender(), now: () => 0, logger: pino({ level: "silent" }) });
    const keys: string[][] = [];
    view.onChange((change) => keys.push(controller.keysOf(change)));
    view.put("cronjobs", cronJob);
    view.put("jobs", { kind: "Job", metadata: { name: "tick-1", namespace: "default", uid: "j1", ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "tick", uid: "u-tick", controller: true }] }, spec: {} });
    view.put("jobs", { kind: "Job", metadata: { name: "other", namespace: "default", uid: "j2" }, spec: {} });
    view.remove("jobs", "default", "tick-1");
    expect(keys).toEqual([["default/tick"], ["default/tick"], [], ["default/tick"]]);
  });

  it("with Replace makes no new Job while the running one could not be deleted (a retry), and records a time once its Job is made", async () => {
    const view = new MemoryView();
    const sender = new RecordingSender((ref, command) => (command.type === "DeleteJob" ? refusedReply("Forbidden", 403, "no") : okReply()));
    const controller = new CronJobReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) }, () => Date.parse("2026-12-06T10:10:01Z"));
    view.put("cronjobs", { ...cronJob, spec: { ...cronJob.spec, concurrencyPolicy: "Replace" } });
    view.put("jobs", {
      kind: "Job", spec: {}, status: { active: 1 },
      metadata: { name: "tick-old", namespace: "default", uid: "j-old", annotations: { "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-12-06T10:05:00Z" }, ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "tick", uid: "u-tick", controller: true }] },
    });
    await expect(controller.sync("default/tick")).rejects.toThrow(/DeleteJob tick-old: no/);
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeleteJob"]);
    sender.respond = () => okReply();
    await controller.sync("default/tick");
    expect(sender.sent.map((s) => s.command.type)).toEqual(["DeleteJob", "DeleteJob", "CreateJob", "RecordCronJobStatus"]);
  });
});
