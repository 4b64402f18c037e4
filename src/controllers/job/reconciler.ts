/**
 * The Job controller: runs each Job's pods to completion (decide.ts). Informer-style: a key is a Job's
 * `<namespace>/<name>`, queued when the Job changes or one of its pods does (found by the pod's controller
 * reference, also when the pod goes), and when its time comes: the end of the back-off after a failed pod, its
 * active deadline, or its deletion
 * `ttlSecondsAfterFinished` after it finished, as Kubernetes' TTL-after-finished controller deletes it. It reads the Job's
 * pods from the process's index of the pods Jobs control (controlledPods.ts), no other pod. A pod it creates carries
 * the Job's template, labels and a controller reference to it, so deleting the Job deletes its pods (the garbage
 * collector). A finished Job is not worked on again but to be deleted when its time-to-live has passed. Until the view shows the creates and deletes it sent for a Job
 * (its expectations, as the replication manager keeps them), it does not count that Job's pods again: a pod's removal
 * seen before a new pod's create would make one pod too many.
 */
import { jobHas, type Job } from "../../api/job.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import type { ControlledPods, PodOwnerKey } from "../controlledPods.js";
import type { FiledIndex } from "../filedIndex.js";
import type { ControllerContext } from "../context.js";
import { PodOwnerController } from "../podOwner.js";
import { controllerRef } from "../replicaSet/kind.js";
import { decideJob, jobDueAt, jobExpired } from "./decide.js";

/** One controller per leadership term, on the process's index of the pods Jobs control (informers.ts). */
export class JobReconciler extends PodOwnerController {
  constructor(ctx: ControllerContext, pods: FiledIndex<ControlledPods, PodOwnerKey[]>, wallTime: () => number = Date.now) {
    super(ctx, pods, "jobs", wallTime);
  }

  allKeys(): string[] {
    const due = (j: Job) => !jobHas(j, "Complete") || j.spec.ttlSecondsAfterFinished !== undefined;
    return this.ctx.view.list<Job>("jobs").filter((e) => due(e.object)).map((e) => `${e.namespace}/${e.name}`);
  }

  /** Creates, deletes and records what decideJob says; a refused command throws (a backoff, then again). */
  async sync(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<Job>("jobs", namespace, name);
    if (!entry || entry.object.metadata.deletionTimestamp) return this.deadlines.delete(key);
    const job = entry.object;
    const uid = job.metadata.uid;
    const nowMs = this.wallTime();
    if (jobExpired(job, nowMs)) return this.deleteFinished(key);
    // A time already past is this sync's to act on: a timer for it would only wake the key again at once.
    this.deadlines.setWallClock(key, jobDueAt(job), nowMs);
    // The view's change of each pod it waits for queues the Job again.
    if (jobHas(job, "Complete") || this.awaitingView(uid)) return;
    const owned = this.pods.index.of(namespace, uid);
    const taken = (pod: string) => this.ctx.view.get("pods", namespace, pod) !== undefined;
    const decision = decideJob({ name, uid, spec: job.spec, status: job.status }, owned, taken, rfc3339Seconds(new Date(nowMs)), nowMs);
    // A pod waiting out the back-off after a failure: woken when it ends (or by the deadline, if sooner).
    if (decision.backoffUntil !== undefined) this.deadlines.setWallClock(key, Math.min(decision.backoffUntil, jobDueAt(job) ?? Infinity), nowMs);
    const { labels, annotations } = job.spec.template.metadata;
    const creates = decision.create.map((pod) => ({
      name: pod,
      data: { metadata: { name: pod, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}), ownerReferences: [controllerRef("batch/v1", "Job", job)] }, spec: job.spec.template.spec },
    }));
    const problems = [
      ...await this.writePods(uid, namespace, creates, decision.delete),
      ...await this.recordStatus(namespace, name, "RecordJobStatus", job.status, decision.status),
    ];
    if (problems.length > 0) throw new Error(`job ${key}: ${problems.join("; ")}`);
  }

  /** Deletes a Job whose time-to-live after finishing has passed (its pods go with it: the garbage collector). */
  private async deleteFinished(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    this.deadlines.delete(key);
    const reply = await this.ctx.sender.send({ resource: "jobs", namespace, name }, { type: "DeleteJob", data: {} });
    if (!reply.ok && reply.status.reason !== "NotFound") throw new Error(`job ${key}: DeleteJob: ${reply.status.message}`);
  }
}
