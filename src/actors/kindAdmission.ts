/** What a kind's own admission (ActorKind.admit) may use of its host, and what it is given of the command. */
import type { CommandReply } from "../api/reply.js";
import type { ClaimStore } from "./claims.js";
import type { Command } from "./decider.js";
import type { QuotaReservations } from "./resourceQuota/reservations.js";

/** The context of a kind's admission. */
export interface KindAdmissionContext {
  claims: ClaimStore;
  /** The service range clusterIPs come from (`127.96.0.0/12` unless configured). */
  serviceCidr: string;
  /** The quotas of the command's namespace (fenced before a create of a kind that `countsAgainstQuota`). */
  quotas: QuotaReservations;
}

/** One command under a kind's admission: it may adjust `command.data` before `execute`, refuse, or act after it. */
export interface KindAdmissionRun {
  command: Command;
  /** The entity's object as it stands now (null: it does not exist); after `execute`, as the command left it. */
  current(): Record<string, unknown> | null;
  /** Decides and appends the command. */
  execute(): Promise<CommandReply>;
}

export { DEFAULT_SERVICE_CIDR } from "../network/ranges.js";
