/** ResourceQuota actor: a namespace's limits on pods and their requests, and the reservations that count against them. */
import { resourceQuotaLifecycle } from "./machine.js";
import { resourceQuotaCodec } from "../../api/resourceQuota.js";
import type { ActorKind } from "../registry.js";
import { resourceQuotaDecider } from "./decider.js";
export {
  resourceQuotaDecider, ReserveQuotaData, ReleaseQuotaData, ResyncQuotaData,
  type ResourceQuotaState, type ResourceQuotaCommand, type ResourceQuotaEvent, type ResourceQuotaChange,
} from "./decider.js";
export { createResourceQuotaMachine, resourceQuotaLifecycle } from "./machine.js";
export { HostQuotaReservations, type QuotaReservations, type QuotaHolder } from "./reservations.js";

/** The ResourceQuota's registration. */
export const resourceQuotaKind = { decider: resourceQuotaDecider, codec: resourceQuotaCodec, lifecycle: resourceQuotaLifecycle } satisfies ActorKind;
export { checkFits, reservationKey, usedOf, type QuotaReservation } from "./usage.js";
