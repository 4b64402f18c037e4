/**
 * The quota controller: for each quota, sends what `planQuotaResync` says. Informer-style, as Kubernetes' quota
 * controller is: a key is a quota (`<namespace>/<name>`), queued when the quota changes or a pod of its namespace
 * does, or an object of a kind it counts does (a quota counting quotas, when another quota changes); a pod in a
 * namespace with no quota queues nothing (a round over every quota followed each pod change before).
 * A reservation whose pod never came is released once its grace has passed, on the resync.
 */
import type { Pod } from "../../api/pod.js";
import type { ResourceQuota } from "../../api/resourceQuota.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
import { planQuotaResync } from "./plan.js";
import { objectCounts } from "./counts.js";
import { quotaWatches } from "../../api/resourceQuotaNames.js";

/** Tunables of the quota controller. */
export interface QuotaOptions {
  /** How old a reservation without a pod in the view must be before it is released; default 30 s. */
  graceMs?: number;
  /** Wall-clock milliseconds (the grace is compared with the reservations' event times); default Date.now. */
  wallClock?: () => number;
}

/** A quota's key. Pure. */
const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/** Repairs `status.used` of each quota from the view. Level-triggered and idempotent; one instance per term. */
export class QuotaReconciler implements KeyedController {
  constructor(private readonly ctx: ControllerContext, private readonly options: QuotaOptions = {}) {}

  keysOf(change: ViewChange): string[] {
    const quotas = this.ctx.view.list<ResourceQuota>("resourcequotas", change.namespace);
    const watching = change.resource === "pods" ? quotas : quotas.filter((q) => Object.keys(q.object.spec.hard).some((n) => quotaWatches(n, change.resource)));
    const keys = watching.map((q) => keyOf(q.namespace, q.name));
    const own = keyOf(change.namespace, change.name);
    return change.resource === "resourcequotas" ? [own, ...keys.filter((k) => k !== own)] : keys;
  }

  allKeys(): string[] {
    return this.ctx.view.list("resourcequotas").map((q) => keyOf(q.namespace, q.name));
  }

  /**
   * Resyncs one quota when its `used` disagrees with its namespace's pods. A Conflict (the quota moved since the
   * view's copy: its change queues the key again) or NotFound (gone) ends the key; another refusal throws, so the work
   * queue retries it after a backoff.
   */
  async sync(key: string): Promise<void> {
    const slash = key.indexOf("/");
    const quota = this.ctx.view.get<ResourceQuota>("resourcequotas", key.slice(0, slash), key.slice(slash + 1));
    if (!quota) return;
    const pods = this.ctx.view.list<Pod>("pods", quota.namespace).map((e) => e.object);
    const counts = objectCounts(quota.object.spec.hard, (resource) => this.ctx.view.list(resource, quota.namespace).map((e) => e.object));
    const plan = planQuotaResync(quota, pods, (this.options.wallClock ?? Date.now)(), this.options.graceMs ?? 30_000, counts);
    if (!plan) return;
    const reply = await this.ctx.sender.send(plan.ref, plan.command);
    if (!reply.ok && reply.status.reason !== "Conflict" && reply.status.reason !== "NotFound") {
      throw new Error(`ResyncQuota ${key}: ${reply.status.reason}: ${reply.status.message}`);
    }
  }
}
