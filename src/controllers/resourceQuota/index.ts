/** The quota controller: repairs a quota's `used` from the read model after a host crash or for pods older than the quota. */
export { countedPods, planQuotaResync, type CountedPod } from "./plan.js";
export { QuotaReconciler, type QuotaOptions } from "./reconciler.js";
