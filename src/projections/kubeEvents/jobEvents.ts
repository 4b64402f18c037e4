/**
 * The job controller's Events, as Kubernetes reports them on a Job (and the daemon set's and statefulset's creates):
 * - SuccessfulCreate ("Created pod: x"; a StatefulSet's "create Pod x in StatefulSet y successful"), read off a pod
 *   created with the Job, DaemonSet or StatefulSet as its controller (only its controller makes pods with such a
 *   reference);
 * - Completed ("Job completed") when the Job's status gains `Complete`, and a Warning with the reason and message of
 *   `Failed` (BackoffLimitExceeded, DeadlineExceeded) when it gains that.
 * Pure.
 */
import { jobHas, type JobStatus } from "../../api/job.js";
import type { Resource } from "../../api/kinds.js";
import type { Pod } from "../../api/pod.js";
import { COMPONENTS, draft, ownerReference, referenceTo, type EventDraft, type MetaOf, type ObjectLookup, type StreamFact } from "./facts.js";

const JOB = { resource: "jobs", kind: "Job", apiVersion: "batch/v1" } as const;

/** The controllers whose pod creates are reported on them: the owner's kind, the component and the message. */
const CREATORS: Readonly<Record<string, { owner: { resource: Resource; kind: string; apiVersion: string }; component: string; message: (pod: string, owner: string) => string }>> = {
  Job: { owner: JOB, component: COMPONENTS.job, message: (pod) => `Created pod: ${pod}` },
  DaemonSet: { owner: { resource: "daemonsets", kind: "DaemonSet", apiVersion: "apps/v1" }, component: COMPONENTS.daemonSet, message: (pod) => `Created pod: ${pod}` },
  StatefulSet: {
    owner: { resource: "statefulsets", kind: "StatefulSet", apiVersion: "apps/v1" }, component: COMPONENTS.statefulSet,
    message: (pod, owner) => `create Pod ${pod} in StatefulSet ${owner} successful`,
  },
};

/** SuccessfulCreate when the pod event creates a pod a Job, DaemonSet or StatefulSet controls. Pure. */
export function jobPodEvents(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  if (fact.event.type !== "PodCreated") return [];
  const pod = fact.after as unknown as Pod | null;
  const owner = pod?.metadata.ownerReferences?.find((o) => o.controller);
  const creator = owner && CREATORS[owner.kind];
  if (!pod || !owner || !creator) return [];
  const ref = ownerReference(lookup, creator.owner, pod.metadata.namespace ?? "", owner.name, owner.uid);
  return [draft(ref, "Normal", "SuccessfulCreate", creator.message(pod.metadata.name, owner.name), { component: creator.component })];
}

/** Completed, or the failure's Warning, when the Job's status gains `Complete` or `Failed`. Pure. */
export function jobStatusEvents(fact: StreamFact): EventDraft[] {
  if (fact.event.type !== "JobStatusRecorded") return [];
  type Job = MetaOf & { status?: JobStatus };
  const [before, after] = [fact.before as unknown as Job | null, fact.after as unknown as Job | null];
  if (!after) return [];
  const gained = (type: string) => jobHas(after, type) && !(before && jobHas(before, type));
  const ref = referenceTo(JOB.kind, after, after.metadata.resourceVersion, undefined, JOB.apiVersion);
  if (gained("Complete")) return [draft(ref, "Normal", "Completed", "Job completed", { component: COMPONENTS.job })];
  if (!gained("Failed")) return [];
  const failed = after.status?.conditions?.find((c) => c.type === "Failed");
  return [draft(ref, "Warning", failed?.reason ?? "Failed", failed?.message ?? "Job failed", { component: COMPONENTS.job })];
}
