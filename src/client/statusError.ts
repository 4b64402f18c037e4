/** The client's error: a rejected command or read, with its Kubernetes-style Status. */
import { STATUS_CODES, StatusError, type Status, type StatusDetails, type StatusReason } from "../api/status.js";

export type { StatusReason, StatusDetails, StatusCause } from "../api/status.js";

/**
 * A Status refusal from the cluster (or a transport failure as `Unavailable` / `Timeout`):
 * `err.reason === "Conflict"`, `err.code === 409`, `err.details.causes` naming the fields of an `Invalid` body.
 */
export class CoxswainStatusError extends StatusError {
  override name = "CoxswainStatusError";

  /** The Status as the wire carried it. */
  get status(): Status {
    return this.toStatus();
  }

  /** True for the reasons a retry with the same command id may cure (`Unavailable`, `Timeout`). */
  get retryable(): boolean {
    return this.reason === "Unavailable" || this.reason === "Timeout";
  }

  /**
   * The error of a wire Status; an unknown reason keeps its message and becomes `Internal`. A transport failure that
   * was nats-server refusing the subject (a permissions violation) is `Forbidden`: no retry would cure it. Pure.
   */
  static fromStatus(status: Status, options?: { cause?: unknown }): CoxswainStatusError {
    const known: StatusReason = status.reason in STATUS_CODES ? (status.reason as StatusReason) : "Internal";
    const reason = known === "Unavailable" && isPermissionViolation(status.message) ? "Forbidden" : known;
    return new CoxswainStatusError(reason, status.message, (status.details ?? {}) as StatusDetails, options);
  }

  /** Any thrown value as a CoxswainStatusError (a StatusError keeps its reason; anything else is `Internal`). Pure. */
  static from(err: unknown): CoxswainStatusError {
    if (err instanceof CoxswainStatusError) return err;
    if (err instanceof StatusError) return CoxswainStatusError.fromStatus(err.toStatus(), { cause: err });
    const message = err instanceof Error ? err.message : String(err);
    return new CoxswainStatusError(isPermissionViolation(message) ? "Forbidden" : "Internal", message, {}, { cause: err });
  }
}

/** True for nats-server's refusal of a subject the user may not publish or subscribe to. Pure. */
export function isPermissionViolation(message: string): boolean {
  return /permissions violation/i.test(message);
}
