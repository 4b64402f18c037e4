/** ResourceQuota actor: a namespace's limits on pods, their requests and limits and object counts, and the reservations that count pods against them. */
import { resourceQuotaLifecycle } from "./machine.js";
import { resourceQuotaCodec } from "../../api/resourceQuota.js";
import type { ActorKind } from "../registry.js";
import { resourceQuotaDecider } from "./decider.js";
export {
  resourceQuotaDecider, ReserveQuotaData, ReleaseQuotaData, ResyncQuotaData,
  type ResourceQuotaState, type ResourceQuotaCommand, type ResourceQuotaEvent, type ResourceQuotaChange,
} from "./decider.js";
export { createResourceQuotaMachine, resourceQuotaLifecycle } from "./machine.js";
export { HostQuotaReservations, QUOTA_RESERVATIONS, type QuotaReservations, type QuotaHolder } from "./reservations.js";
import { quotaReservationsService } from "./reservations.js";

/**
 * The ResourceQuota's registration: the namespace index keeps the quotas of each namespace, and the host runs their
 * reservations for the kinds that count against them (a pod's admission).
 */
export const resourceQuotaKind = {
  decider: resourceQuotaDecider, codec: resourceQuotaCodec, lifecycle: resourceQuotaLifecycle,
  namesPerNamespace: { added: "ResourceQuotaCreated", removed: "ResourceQuotaDeleted" },
  hostService: quotaReservationsService,
} satisfies ActorKind;
export { checkFits, reservationKey, usedOf, type QuotaReservation } from "./usage.js";
