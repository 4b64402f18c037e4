/**
 * The quota controller's decision for one quota: when the `status.used` the actors keep differs from what the
 * read model's pods add up to, or its object counts from what the read model shows (a host died between a reservation and the pod's create, or between a pod's end and
 * its release, or the pods predate the quota), send ResyncQuota with the pods that count. The command carries the
 * quota's version as seen, so it applies only to the state the view showed, and a grace period, so a reservation
 * whose pod is being created right now keeps its slot. Pure.
 */
import { deletionHeld, type Pod } from "../../api/pod.js";
import { limitedNames, podQuotaRequests, quotaUsed, type PodQuotaRequests, type QuotaResourceList, type ResourceQuota } from "../../api/resourceQuota.js";
import type { ViewEntry } from "../../projections/clusterView.js";
import type { PlannedCommand } from "../namespace/plan.js";

/** A pod as a quota counts it. */
export interface CountedPod {
  pod: string;
  uid: string;
  requests: PodQuotaRequests;
}

/** The pods of the namespace that count against quotas: every pod that has not ended (terminating ones too, not held ones). Pure. */
export function countedPods(pods: readonly Pod[]): CountedPod[] {
  return pods
    .filter((p) => p.status.phase !== "Succeeded" && p.status.phase !== "Failed" && !deletionHeld(p))
    .map((p) => ({ pod: p.metadata.name, uid: p.metadata.uid, requests: podQuotaRequests(p.spec) }));
}

/**
 * ResyncQuota for `quota` when its `used` disagrees with `pods` or with the object `counts` (objectCounts), else
 * null. `nowMs` is wall-clock time. Pure.
 */
export function planQuotaResync(quota: ViewEntry<ResourceQuota>, pods: readonly Pod[], nowMs: number, graceMs: number, counts: QuotaResourceList = {}): PlannedCommand | null {
  const counted = countedPods(pods);
  const { hard } = quota.object.spec;
  const used = quotaUsed(hard, counted.map((p) => p.requests), counts);
  if (limitedNames(hard).every((r) => used[r] === quota.object.status.used[r])) return null;
  const reservedBefore = new Date(nowMs - graceMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    ref: { resource: "resourcequotas", namespace: quota.namespace, name: quota.name },
    command: { type: "ResyncQuota", expectedVersion: quota.version, data: { pods: counted, reservedBefore, ...(Object.keys(counts).length > 0 ? { counts } : {}) } },
  };
}
