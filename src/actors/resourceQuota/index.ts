/** ResourceQuota actor: a namespace's limits on pods and their requests, and the reservations that count against them. */
export {
  resourceQuotaDecider, ReserveQuotaData, ReleaseQuotaData, ResyncQuotaData,
  type ResourceQuotaState, type ResourceQuotaCommand, type ResourceQuotaEvent, type ResourceQuotaChange,
} from "./decider.js";
export { createResourceQuotaMachine } from "./machine.js";
export { checkFits, reservationKey, usedOf, type QuotaReservation } from "./usage.js";
