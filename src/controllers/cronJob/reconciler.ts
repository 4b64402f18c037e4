/**
 * The CronJob controller: makes each CronJob's Jobs at the times of its schedule (decide.ts). Informer-style: a key
 * is a CronJob's `<namespace>/<name>`, queued when the CronJob changes, when one of its Jobs does (found by the Job's
 * controller reference; a Job that goes queues the CronJobs of its namespace), and when the schedule's next time comes
 * (a timer per CronJob, on the controller's clock). A Job it makes carries the template's labels and annotations, the
 * time it was made for (`batch.kubernetes.io/cronjob-scheduled-timestamp`) and a controller reference to the
 * CronJob, so deleting the CronJob deletes its Jobs and their pods (the garbage collector).
 */
import { controllingCronJob, SCHEDULED_TIMESTAMP, type CronJob } from "../../api/cronJob.js";
import type { Job } from "../../api/job.js";
import { sameValue } from "../../actors/decisions.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import type { KeyedController } from "../keyedLoop.js";
import { controllerRef } from "../replicaSet/kind.js";
import { decideCronJob } from "./decide.js";

/** One controller per leadership term. */
export class CronJobReconciler implements KeyedController {
  private readonly deadlines: Deadlines;

  constructor(private readonly ctx: ControllerContext, private readonly wallTime: () => number = Date.now) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** The CronJobs whose next time came. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  keysOf(change: ViewChange): string[] {
    if (change.resource === "cronjobs") return [`${change.namespace}/${change.name}`];
    if (change.resource !== "jobs") return [];
    const owner = change.entry && controllingCronJob(change.entry.object as unknown as Job);
    if (owner) return [`${change.namespace}/${owner.name}`];
    return change.entry ? [] : this.ctx.view.list<CronJob>("cronjobs", change.namespace).map((e) => `${e.namespace}/${e.name}`);
  }

  allKeys(): string[] {
    return this.ctx.view.list<CronJob>("cronjobs").map((e) => `${e.namespace}/${e.name}`);
  }

  /** Deletes, creates and records what decideCronJob says; a refused command throws (a backoff, then again). */
  async sync(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<CronJob>("cronjobs", namespace, name);
    if (!entry || entry.object.metadata.deletionTimestamp) return this.deadlines.delete(key);
    const cronJob = entry.object;
    const uid = cronJob.metadata.uid;
    const jobs = this.ctx.view.list<Job>("jobs", namespace).map((e) => e.object).filter((j) => controllingCronJob(j)?.uid === uid);
    const nowMs = this.wallTime();
    const decision = decideCronJob({ name, uid, creationTimestamp: cronJob.metadata.creationTimestamp ?? "", spec: cronJob.spec, status: cronJob.status }, jobs, nowMs);
    const problems: string[] = [];
    for (const job of decision.delete) {
      const reply = await this.ctx.sender.send({ resource: "jobs", namespace, name: job }, { type: "DeleteJob", data: {} });
      if (!reply.ok && reply.status.reason !== "NotFound") problems.push(`DeleteJob ${job}: ${reply.status.message}`);
    }
    // A Job that Replace had to end and could not: the time waits (a retry), so that two never run at once.
    const replacing = cronJob.spec.concurrencyPolicy === "Replace" && problems.length > 0;
    let made = !decision.create;
    if (decision.create && !replacing) {
      const { metadata = {}, spec } = cronJob.spec.jobTemplate;
      const annotations = { ...metadata.annotations, [SCHEDULED_TIMESTAMP]: decision.create.scheduledTime };
      const reply = await this.ctx.sender.send({ resource: "jobs", namespace, name: decision.create.name }, {
        type: "CreateJob",
        data: { metadata: { name: decision.create.name, namespace, ...(metadata.labels ? { labels: metadata.labels } : {}), annotations, ownerReferences: [controllerRef("batch/v1", "CronJob", cronJob)] }, spec },
      });
      // A name taken is this time's Job, made already (the view had not shown it yet).
      if (reply.ok || reply.status.reason === "AlreadyExists") made = true;
      else problems.push(`CreateJob ${decision.create.name}: ${reply.status.message}`);
    }
    // The time is recorded once its Job is made, whatever else failed (a history delete is retried apart).
    if (made && !sameValue(cronJob.status ?? {}, decision.status)) {
      const reply = await this.ctx.sender.send({ resource: "cronjobs", namespace, name }, { type: "RecordCronJobStatus", data: decision.status });
      if (!reply.ok) problems.push(`RecordCronJobStatus: ${reply.status.message}`);
    }
    this.deadlines.setWallClock(key, decision.nextAt, nowMs);
    if (problems.length > 0) throw new Error(`cronjob ${key}: ${problems.join("; ")}`);
  }
}
