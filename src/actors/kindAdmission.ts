/** What a kind's own admission (ActorKind.admit) may use of its host: cross-entity claims and the cluster's ranges. */
import type { ClaimStore } from "./claims.js";

/** The context of a kind's admission. */
export interface KindAdmissionContext {
  claims: ClaimStore;
  /** The service range clusterIPs come from (`127.96.0.0/12` unless configured). */
  serviceCidr: string;
}

export { DEFAULT_SERVICE_CIDR } from "../network/ranges.js";
