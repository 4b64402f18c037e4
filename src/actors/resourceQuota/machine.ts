/** The ResourceQuota actor's machine: the generic entity machine; quotas have no timers. */
import { createEntityMachine } from "../entityMachine.js";
import { resourceQuotaDecider, type ResourceQuotaState } from "./decider.js";

/** Builds the quota machine (a `now` clock may be given by tests). */
export function createResourceQuotaMachine(now?: () => number) {
  return createEntityMachine<ResourceQuotaState>(resourceQuotaDecider, now);
}
