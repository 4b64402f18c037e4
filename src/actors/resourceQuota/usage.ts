/**
 * The arithmetic of a quota, exact (src/api/quantity.ts): what its reservations use, and whether one more pod
 * fits, with the Kubernetes wording of a refusal. Pure.
 */
import { limitedNames, quotaRequestOf, quotaUsed, quotaUsedQuantity, type PodQuotaRequests, type QuotaResourceList } from "../../api/resourceQuota.js";
import { isPodQuotaResource } from "../../api/resourceQuotaNames.js";
import { addQuantities, compareQuantities, formatQuantity, parseQuantity, type Quantity } from "../../api/quantity.js";
import { StatusError } from "../../api/status.js";

/** One pod counted against a quota; a pod instance is its name and uid. `reservedAt` is the time of its event. */
export interface QuotaReservation {
  pod: string;
  uid: string;
  requests: PodQuotaRequests;
  reservedAt?: string | undefined;
}

/** The key of a reservation (`web-1/8c1f…`): reserving the same pod instance twice counts once. Pure. */
export function reservationKey(pod: string, uid: string): string {
  return `${pod}/${uid}`;
}

/** `used` for the names `hard` limits: the sum over the reservations, and the object counts last reported. Pure. */
export function usedOf(hard: QuotaResourceList, reservations: readonly QuotaReservation[], counts: QuotaResourceList = {}): QuotaResourceList {
  return quotaUsed(hard, reservations.map((r) => r.requests), counts);
}

const list = (pairs: [string, string][]) => pairs.map(([k, v]) => `${k}=${v}`).join(",");

/**
 * Throws Forbidden when one more pod asking `requests` would exceed a hard limit of quota `name` (naming every
 * exceeded resource with the request, the use and the limit, as Kubernetes does), or when the quota limits a
 * resource the pod does not state. Only what pods use is checked here; object counts are the controller's to report. Pure.
 */
export function checkFits(name: string, hard: QuotaResourceList, reservations: readonly QuotaReservation[], requests: PodQuotaRequests): void {
  const limited = limitedNames(hard).filter(isPodQuotaResource);
  const unstated = limited.filter((r) => quotaRequestOf(r, requests) === undefined);
  const what = { kind: "resourcequotas", name };
  if (unstated.length > 0) throw new StatusError("Forbidden", `failed quota: ${name}: must specify ${unstated.join(",")}`, what);
  const exceeded = limited.flatMap((r) => {
    const request = quotaRequestOf(r, requests) as Quantity;
    const used = quotaUsedQuantity(r, reservations.map((x) => x.requests));
    const limit = parseQuantity(hard[r] as string);
    return compareQuantities(addQuantities(used, request), limit) > 0 ? [{ r, request, used, limit }] : [];
  });
  if (exceeded.length === 0) return;
  const column = (pick: (e: (typeof exceeded)[number]) => Quantity) => list(exceeded.map((e) => [e.r, formatQuantity(pick(e))]));
  throw new StatusError(
    "Forbidden",
    `exceeded quota: ${name}, requested: ${column((e) => e.request)}, used: ${column((e) => e.used)}, limited: ${column((e) => e.limit)}`,
    what,
  );
}
