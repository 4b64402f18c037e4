/**
 * The ResourceQuota's lifecycle: Unused (no pod counted) ⇄ InUse (pods counted, room left under every limit) ⇄
 * Exhausted (some limit of what pods use is used up: `used` ≥ `hard`, so only a pod asking none of it fits) → Absent
 * (deleted). Object counts (`count/configmaps`, …), which the quota controller reports (QuotaObjectsCounted), do
 * not move it: no pod is checked against them. Pods
 * reserved (QuotaReserved) and released (QuotaReleased) and a changed `hard` (ResourceQuotaUpdated) move it; a quota
 * created with a zero limit starts Exhausted. Every live state accepts every command but the create: whether a pod
 * fits is the decider's (Forbidden, in Kubernetes' words), and a release of a pod the quota does not hold is its
 * NotFound, which the host takes as done. It has no timers.
 */
import { QUOTA_RESOURCES } from "../../api/resourceQuota.js";
import { compareQuantities, parseQuantity } from "../../api/quantity.js";
import { createLifecycleMachine, type Lifecycle } from "../lifecycle.js";
import { resourceQuotaDecider, type ResourceQuotaCommand, type ResourceQuotaEvent, type ResourceQuotaState } from "./decider.js";

/** The quota's lifecycle states. */
export type ResourceQuotaLifecycleState = "Absent" | "Unused" | "InUse" | "Exhausted";

/** Where a quota's decider state stands: Exhausted before Unused (a zero limit is used up with no pod counted). Pure. */
export function resourceQuotaPhaseOf(state: ResourceQuotaState): ResourceQuotaLifecycleState {
  const quota = state.object;
  if (!quota) return "Absent";
  const { hard, used } = quota.status;
  const usedUp = QUOTA_RESOURCES.some((r) => hard[r] !== undefined && compareQuantities(parseQuantity(used[r] ?? "0"), parseQuantity(hard[r])) >= 0);
  if (usedUp) return "Exhausted";
  return Object.keys(state.reservations).length === 0 ? "Unused" : "InUse";
}

const LIVE = ["UpdateResourceQuota", "DeleteResourceQuota", "ReserveQuota", "ReleaseQuota", "ResyncQuota"] as const;

/** The quota's lifecycle. */
export const resourceQuotaLifecycle: Lifecycle<ResourceQuotaState, ResourceQuotaLifecycleState, ResourceQuotaCommand["type"], ResourceQuotaEvent["type"]> = {
  absent: "Absent",
  phaseOf: resourceQuotaPhaseOf,
  states: {
    Absent: { accepts: ["CreateResourceQuota"], on: { ResourceQuotaCreated: ["Unused", "Exhausted"] } },
    Unused: { accepts: LIVE, on: { QuotaReserved: ["InUse", "Exhausted"], ResourceQuotaUpdated: ["Exhausted"], ResourceQuotaDeleted: ["Absent"] } },
    InUse: {
      accepts: LIVE,
      on: { QuotaReserved: ["Exhausted"], QuotaReleased: ["Unused"], ResourceQuotaUpdated: ["Exhausted"], ResourceQuotaDeleted: ["Absent"] },
    },
    Exhausted: {
      accepts: LIVE,
      on: { QuotaReleased: ["InUse", "Unused"], ResourceQuotaUpdated: ["InUse", "Unused"], ResourceQuotaDeleted: ["Absent"] },
    },
  },
};

/** Builds the quota machine (a `now` clock may be given by tests). */
export function createResourceQuotaMachine(now?: () => number) {
  return createLifecycleMachine<ResourceQuotaState>(resourceQuotaDecider, resourceQuotaLifecycle, now);
}
