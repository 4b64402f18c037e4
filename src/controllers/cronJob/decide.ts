/**
 * What the CronJob controller does for one CronJob, from it, the Jobs it controls and the time, as Kubernetes'
 * cronjob controller (v2) decides it:
 * - the latest time of the schedule that has come since the last one it made a Job for (or since its creation),
 *   unless that time is more than `startingDeadlineSeconds` past or the CronJob is suspended, gets a Job named
 *   `<cronjob>-<the time in minutes since the epoch>` from `jobTemplate`; a Job of that name is that time's Job, so
 *   the same time is never run twice (a view that lags is refused as taken);
 * - with `concurrencyPolicy: Forbid` the time is skipped while a Job still runs (looked at again when it ends, until
 *   the deadline passes); with `Replace` the running Jobs are deleted first;
 * - the finished Jobs beyond `successfulJobsHistoryLimit` and `failedJobsHistoryLimit` are deleted, oldest first;
 * - its status lists the Jobs that run, the last time it made one and when one last succeeded.
 * Pure.
 */
import { SCHEDULED_TIMESTAMP, type CronJobSpec, type CronJobStatus } from "../../api/cronJob.js";
import { parseSchedule } from "../../api/cronSchedule.js";
import { jobHas, type Job } from "../../api/job.js";
import { rfc3339Seconds } from "../../events/envelope.js";

/** The CronJob as the decision reads it. */
export interface CronJobFacts {
  name: string;
  uid: string;
  creationTimestamp: string;
  spec: CronJobSpec;
  status?: CronJobStatus | undefined;
}

/** What a sync of a CronJob does. */
export interface CronJobDecision {
  /** The Job to make now, for the time `scheduledTime`. */
  create?: { name: string; scheduledTime: string };
  /** Jobs to delete: the running ones a `Replace` ends, and the finished ones past the history limits. */
  delete: string[];
  status: CronJobStatus;
  /** When to look again (wall-clock ms): the schedule's next time. */
  nextAt?: number | undefined;
}

/** The name of the Job for `scheduledMs`: Kubernetes' `<cronjob>-<minutes since the epoch>`. Pure. */
export function cronJobJobName(cronJob: string, scheduledMs: number): string {
  return `${cronJob}-${Math.floor(scheduledMs / 60_000)}`;
}

/** When a Job was made for, by its annotation, else by its name's minutes. Pure. */
function scheduledMsOf(job: Job, cronJob: string): number | undefined {
  const stamp = job.metadata.annotations?.[SCHEDULED_TIMESTAMP];
  if (stamp) return Date.parse(stamp);
  const minutes = job.metadata.name.startsWith(`${cronJob}-`) ? Number(job.metadata.name.slice(cronJob.length + 1)) : Number.NaN;
  return Number.isInteger(minutes) ? minutes * 60_000 : undefined;
}

function finished(job: Job): "Complete" | "Failed" | null {
  return jobHas(job, "Complete") ? "Complete" : jobHas(job, "Failed") ? "Failed" : null;
}

/** The oldest of `jobs` beyond the newest `keep`. Pure. */
function beyond(jobs: readonly Job[], keep: number, when: (j: Job) => number): string[] {
  return [...jobs].sort((a, b) => when(b) - when(a)).slice(keep).map((j) => j.metadata.name);
}

/** The decision for `cronJob` given the Jobs it controls, at wall-clock `nowMs`. Pure. */
export function decideCronJob(cronJob: CronJobFacts, jobs: readonly Job[], nowMs: number): CronJobDecision {
  const { spec } = cronJob;
  const previous = cronJob.status ?? {};
  const created = Date.parse(cronJob.creationTimestamp);
  const schedule = parseSchedule(spec.schedule, spec.timeZone ?? "UTC", created);
  const when = (j: Job) => scheduledMsOf(j, cronJob.name) ?? Date.parse(j.metadata.creationTimestamp ?? "");
  const live = jobs.filter((j) => !j.metadata.deletionTimestamp);
  let active = live.filter((j) => finished(j) === null);
  const succeeded = live.filter((j) => finished(j) === "Complete");
  const failed = live.filter((j) => finished(j) === "Failed");
  const doneAt = succeeded.map((j) => Date.parse(j.status?.completionTime ?? "")).filter((t) => !Number.isNaN(t));
  const lastSuccess = Math.max(Date.parse(previous.lastSuccessfulTime ?? "") || 0, ...doneAt);
  const made = jobs.map((j) => scheduledMsOf(j, cronJob.name)).filter((t): t is number => t !== undefined);
  const lastScheduled = Math.max(Date.parse(previous.lastScheduleTime ?? "") || 0, ...made);
  const toDelete = [
    ...beyond(succeeded, spec.successfulJobsHistoryLimit ?? 3, when),
    ...beyond(failed, spec.failedJobsHistoryLimit ?? 1, when),
  ];

  let create: CronJobDecision["create"];
  let scheduledAt = lastScheduled;
  if (typeof schedule !== "string" && !spec.suspend) {
    const latest = schedule.latestAtOrBefore(nowMs);
    const earliest = Math.max(lastScheduled || created, spec.startingDeadlineSeconds === undefined ? 0 : nowMs - spec.startingDeadlineSeconds * 1000);
    const due = latest !== undefined && latest > earliest && latest >= created;
    const blocked = spec.concurrencyPolicy === "Forbid" && active.length > 0;
    if (due && !blocked) {
      if (spec.concurrencyPolicy === "Replace") {
        toDelete.push(...active.map((j) => j.metadata.name));
        active = [];
      }
      create = { name: cronJobJobName(cronJob.name, latest), scheduledTime: rfc3339Seconds(new Date(latest)) };
      scheduledAt = latest;
    }
  }
  const status: CronJobStatus = {
    ...(active.length > 0 ? { active: active.map((j) => ({ kind: "Job", namespace: j.metadata.namespace ?? "", name: j.metadata.name, uid: j.metadata.uid, apiVersion: "batch/v1" })) } : {}),
    ...(scheduledAt > 0 ? { lastScheduleTime: rfc3339Seconds(new Date(scheduledAt)) } : {}),
    ...(lastSuccess > 0 ? { lastSuccessfulTime: rfc3339Seconds(new Date(lastSuccess)) } : {}),
  };
  const nextAt = typeof schedule === "string" || spec.suspend ? undefined : schedule.nextAfter(nowMs);
  return { ...(create ? { create } : {}), delete: toDelete, status, nextAt };
}
