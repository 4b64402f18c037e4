/** The quota controller's round: for every quota in the view, send what `planQuotaResync` says. */
import type { Pod } from "../../api/pod.js";
import type { ResourceQuota } from "../../api/resourceQuota.js";
import type { ControllerContext } from "../context.js";
import { planQuotaResync } from "./plan.js";

/** Tunables of the quota controller. */
export interface QuotaOptions {
  /** How old a reservation without a pod in the view must be before it is released; default 30 s. */
  graceMs?: number;
  /** Wall-clock milliseconds (the grace is compared with the reservations' event times); default Date.now. */
  wallClock?: () => number;
}

/** Repairs `status.used` of every quota from the view. Level-triggered and idempotent; one instance per term. */
export class QuotaReconciler {
  constructor(private readonly ctx: ControllerContext, private readonly options: QuotaOptions = {}) {}

  /** One round over all quotas. */
  async reconcile(): Promise<void> {
    const now = (this.options.wallClock ?? Date.now)();
    for (const quota of this.ctx.view.list<ResourceQuota>("resourcequotas")) {
      const pods = this.ctx.view.list<Pod>("pods", quota.namespace).map((e) => e.object);
      const plan = planQuotaResync(quota, pods, now, this.options.graceMs ?? 30_000);
      if (!plan) continue;
      const reply = await this.ctx.sender.send(plan.ref, plan.command);
      // Conflict: the quota moved since the view's copy; the next round looks again.
      if (!reply.ok && reply.status.reason !== "Conflict" && reply.status.reason !== "NotFound") {
        this.ctx.logger.warn({ quota: `${quota.namespace}/${quota.name}`, status: reply.status }, "ResyncQuota failed");
      }
    }
  }
}
