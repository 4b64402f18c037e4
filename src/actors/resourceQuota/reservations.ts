/**
 * Quota reservations as admission makes them for the objects quotas count (pods): reserved in every quota of the
 * namespace (ReserveQuota, through the quota entity's own mailbox and its guarded append, so two hosts never both
 * take the last slot) before the object is created, released (ReleaseQuota) when the create is refused or the
 * object stops counting. A release that fails is logged: the quota controller repairs it with ResyncQuota.
 */
import type { KindRef } from "../kindCommands.js";
import { hostServiceKey, type HostService, type RunInternal } from "../kindAdmission.js";
import type { PodQuotaRequests } from "../../api/resourceQuota.js";
import { StatusError, toStatusError } from "../../api/status.js";
import type { Logger } from "../../log.js";
import type { NamespaceIndex } from "../namespaceIndex.js";

const RESOURCE = "resourcequotas";

/** One counted object instance (a pod's name and uid). */
export interface QuotaHolder {
  pod: string;
  uid: string;
}

/** What a kind's admission may do with its namespace's quotas. */
export interface QuotaReservations {
  /** Reserves `requests` in every quota of `ns`; returns the quotas held; throws a quota's refusal as the object's. */
  reserveAll(ns: string, holder: QuotaHolder, requests: PodQuotaRequests): Promise<string[]>;
  /** Releases `holder` in `quotas` (never throws). */
  release(ns: string, quotas: readonly string[], holder: QuotaHolder): Promise<void>;
  /** Releases `holder` in every quota of `ns` as the fenced index knows them (never throws). */
  releaseEverywhere(ns: string, holder: QuotaHolder): Promise<void>;
}

/** Reservations through the host's namespace index and its own commands. */
export class HostQuotaReservations implements QuotaReservations {
  constructor(private readonly index: NamespaceIndex, private readonly runInternal: RunInternal, private readonly log: Logger) {}

  async reserveAll(ns: string, holder: QuotaHolder, requests: PodQuotaRequests): Promise<string[]> {
    const held: string[] = [];
    try {
      for (const quota of this.index.namesIn(RESOURCE, ns)) {
        if (await this.reserve(ns, quota, holder, requests)) held.push(quota);
      }
      return held;
    } catch (err) {
      await this.release(ns, held, holder);
      throw err;
    }
  }

  async releaseEverywhere(ns: string, holder: QuotaHolder): Promise<void> {
    try {
      await this.index.fence(ns, { namespace: false, names: [RESOURCE] });
    } catch (err) {
      this.log.warn({ err: String(err), ns, pod: holder.pod }, "quota index not fresh; releasing in the quotas known");
    }
    await this.release(ns, this.index.namesIn(RESOURCE, ns), holder);
  }

  async release(ns: string, quotas: readonly string[], holder: QuotaHolder): Promise<void> {
    for (const quota of quotas) {
      await this.runInternal(quotaRef(ns, quota), { type: "ReleaseQuota", data: holder }, `quota:${quota}:release:${holder.uid}`).catch((err: unknown) => {
        const status = toStatusError(err);
        if (status.reason !== "NotFound") this.log.warn({ status: status.toStatus(), ns, quota, pod: holder.pod }, "quota release failed");
      });
    }
  }

  /**
   * True when reserved; false when the quota has gone meanwhile; throws the quota's refusal as the pod's, in
   * Kubernetes' words (`pods "web" is forbidden: exceeded quota: …`).
   */
  private async reserve(ns: string, quota: string, holder: QuotaHolder, requests: PodQuotaRequests): Promise<boolean> {
    try {
      await this.runInternal(quotaRef(ns, quota), { type: "ReserveQuota", data: { ...holder, requests } }, `quota:${quota}:reserve:${holder.uid}`);
      return true;
    } catch (err) {
      const status = toStatusError(err);
      if (status.reason === "NotFound") return false;
      const message = status.reason === "Forbidden" ? `pods "${holder.pod}" is forbidden: ${status.message}` : status.message;
      throw new StatusError(status.reason, message, { kind: "pods", name: holder.pod }, { cause: err });
    }
  }
}

function quotaRef(namespace: string, name: string): KindRef<typeof RESOURCE> {
  return { resource: RESOURCE, namespace, name };
}

/** The quota reservations, as a host service: what a pod's admission looks up (`ctx.service(QUOTA_RESERVATIONS)`). */
export const QUOTA_RESERVATIONS = hostServiceKey<QuotaReservations>("quota-reservations");

/** The ResourceQuota kind's host service: reservations through the host's namespace index and its own commands. */
export const quotaReservationsService: HostService<QuotaReservations> = {
  key: QUOTA_RESERVATIONS,
  start: (host) => new HostQuotaReservations(host.index, host.runInternal, host.log),
};
