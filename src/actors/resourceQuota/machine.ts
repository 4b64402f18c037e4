/** The ResourceQuota's lifecycle, the simple one: Absent → Active (reservations come and go) → Absent. No timers. */
import { createLifecycleMachine } from "../lifecycle.js";
import { existenceLifecycle } from "../plainObject/machine.js";
import { resourceQuotaDecider, type ResourceQuotaState } from "./decider.js";

/** The quota's lifecycle. */
export const resourceQuotaLifecycle = existenceLifecycle(resourceQuotaDecider, { create: "CreateResourceQuota", created: "ResourceQuotaCreated", deleted: "ResourceQuotaDeleted" });

/** Builds the quota machine (a `now` clock may be given by tests). */
export function createResourceQuotaMachine(now?: () => number) {
  return createLifecycleMachine<ResourceQuotaState>(resourceQuotaDecider, resourceQuotaLifecycle, now);
}
