import { describe, expect, it } from "vitest";
import type { CronJobSpec, CronJobStatus } from "../../api/cronJob.js";
import type { Job, JobSpec } from "../../api/job.js";
import { cronJobJobName, decideCronJob, type CronJobFacts } from "./decide.js";

const at = (t: string) => Date.parse(t);
const template = { spec: { template: { metadata: {}, spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never", terminationGracePeriodSeconds: 30 } } } as unknown as JobSpec };
const cron = (spec: Partial<CronJobSpec> = {}, status?: CronJobStatus): CronJobFacts => ({
  name: "tick", uid: "u-tick", creationTimestamp: "2026-12-06T10:00:30Z",
  spec: { schedule: "*/5 * * * *", concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: template, ...spec },
  ...(status ? { status } : {}),
});
const job = (scheduled: string, state: "running" | "Complete" | "Failed", completion?: string): Job => ({
  kind: "Job",
  metadata: { name: cronJobJobName("tick", at(scheduled)), namespace: "default", uid: `uid-${scheduled}`, creationTimestamp: scheduled, annotations: { "batch.kubernetes.io/cronjob-scheduled-timestamp": scheduled } },
  spec: template.spec,
  status: state === "running" ? { active: 1 } : { ...(completion ? { completionTime: completion } : {}), conditions: [{ type: state, status: "True", lastTransitionTime: completion ?? scheduled }] },
});

describe("the cronjob controller's decision", () => {
  it("makes nothing before the first time after its creation, then the Job of the latest time, named by its minute, and says when to look again", () => {
    const before = decideCronJob(cron(), [], at("2026-12-06T10:04:59Z"));
    expect(before).toEqual({ delete: [], status: {}, nextAt: at("2026-12-06T10:05:00Z") });
    const due = decideCronJob(cron(), [], at("2026-12-06T10:05:01Z"));
    expect(due.create).toEqual({ name: `tick-${at("2026-12-06T10:05:00Z") / 60_000}`, scheduledTime: "2026-12-06T10:05:00Z" });
    expect(due.status).toEqual({ lastScheduleTime: "2026-12-06T10:05:00Z" });
    expect(due.nextAt).toBe(at("2026-12-06T10:10:00Z"));
  });

  it("runs a time once: not again once its Job is seen or its time recorded, and only the latest of times missed", () => {
    const made = decideCronJob(cron(), [job("2026-12-06T10:05:00Z", "running")], at("2026-12-06T10:06:00Z"));
    expect(made.create).toBeUndefined();
    expect(made.status).toMatchObject({ lastScheduleTime: "2026-12-06T10:05:00Z", active: [{ kind: "Job", name: cronJobJobName("tick", at("2026-12-06T10:05:00Z")), apiVersion: "batch/v1" }] });
    expect(decideCronJob(cron({}, { lastScheduleTime: "2026-12-06T10:05:00Z" }), [], at("2026-12-06T10:09:00Z")).create).toBeUndefined();
    const late = decideCronJob(cron({}, { lastScheduleTime: "2026-12-06T10:05:00Z" }), [], at("2026-12-06T10:27:00Z"));
    expect(late.create?.scheduledTime).toBe("2026-12-06T10:25:00Z");
  });

  it("skips a time more than startingDeadlineSeconds past, and makes nothing while suspended", () => {
    expect(decideCronJob(cron({ startingDeadlineSeconds: 60 }), [], at("2026-12-06T10:06:30Z")).create).toBeUndefined();
    expect(decideCronJob(cron({ startingDeadlineSeconds: 120 }), [], at("2026-12-06T10:06:30Z")).create).toBeDefined();
    const suspended = decideCronJob(cron({ suspend: true }), [], at("2026-12-06T10:06:00Z"));
    expect(suspended).toEqual({ delete: [], status: {}, nextAt: undefined });
  });

  it("with Forbid waits for the running Job; with Replace deletes it first; with Allow runs beside it", () => {
    const running = [job("2026-12-06T10:05:00Z", "running")];
    const now = at("2026-12-06T10:10:01Z");
    expect(decideCronJob(cron({ concurrencyPolicy: "Forbid" }), running, now)).toMatchObject({ delete: [], status: { lastScheduleTime: "2026-12-06T10:05:00Z" } });
    expect(decideCronJob(cron({ concurrencyPolicy: "Forbid" }), running, now).create).toBeUndefined();
    const replace = decideCronJob(cron({ concurrencyPolicy: "Replace" }), running, now);
    expect(replace).toMatchObject({ create: { scheduledTime: "2026-12-06T10:10:00Z" }, delete: [running[0]?.metadata.name] });
    expect(replace.status.active).toBeUndefined();
    expect(decideCronJob(cron(), running, now)).toMatchObject({ create: { scheduledTime: "2026-12-06T10:10:00Z" }, delete: [] });
    const ended = [job("2026-12-06T10:05:00Z", "Complete", "2026-12-06T10:10:30Z")];
    expect(decideCronJob(cron({ concurrencyPolicy: "Forbid" }), ended, at("2026-12-06T10:11:00Z")).create?.scheduledTime).toBe("2026-12-06T10:10:00Z");
  });

  it("keeps the newest finished Jobs within the history limits and records the last success", () => {
    const jobs = [
      job("2026-12-06T10:05:00Z", "Complete", "2026-12-06T10:05:10Z"), job("2026-12-06T10:10:00Z", "Complete", "2026-12-06T10:10:10Z"),
      job("2026-12-06T10:15:00Z", "Failed"), job("2026-12-06T10:20:00Z", "Failed"), job("2026-12-06T10:25:00Z", "Complete", "2026-12-06T10:25:10Z"),
    ];
    const d = decideCronJob(cron({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }), jobs, at("2026-12-06T10:26:00Z"));
    expect(d.delete).toEqual([jobs[0]?.metadata.name, jobs[2]?.metadata.name]);
    expect(d.status).toEqual({ lastScheduleTime: "2026-12-06T10:25:00Z", lastSuccessfulTime: "2026-12-06T10:25:10Z" });
  });

  it("reads its schedule in its time zone and knows @hourly and @every", () => {
    const paris = decideCronJob(cron({ schedule: "0 9 * * *", timeZone: "Europe/Paris" }), [], at("2026-12-07T07:59:00Z"));
    expect(paris.nextAt).toBe(at("2026-12-07T08:00:00Z"));
    expect(decideCronJob(cron({ schedule: "@hourly" }), [], at("2026-12-06T11:00:05Z")).create?.scheduledTime).toBe("2026-12-06T11:00:00Z");
    expect(decideCronJob(cron({ schedule: "@every 90s" }), [], at("2026-12-06T10:02:01Z")).create?.scheduledTime).toBe("2026-12-06T10:02:00Z");
  });
});
