/** The lease record and the pure leader-election decision (acquire / renew / wait / step down), after client-go's leaderelection. */
import { z } from "zod";

/** The value stored under a component's key in `COX_LEASES` (PROTOCOL.md §4). */
export const LeaseRecord = z.object({
  /** `<component>/<hostname>/<pid>` of the holder. */
  holderIdentity: z.string().min(1),
  /** How long candidates must see no renewal before taking over; the holder's promise. */
  leaseDurationMs: z.number().int().positive(),
  /** Wall-clock ISO time of the acquisition (informational only, never compared across hosts). */
  acquireTime: z.string(),
  /** Wall-clock ISO time of the last renewal (informational only). */
  renewTime: z.string(),
  /** The fencing term: +1 at every acquisition. */
  leaseTransitions: z.number().int().nonnegative(),
});
export type LeaseRecord = z.infer<typeof LeaseRecord>;

/** Timing of an election, in milliseconds. */
export interface LeaseOptions {
  /** A candidate takes over after seeing no renewal for this long on its own clock. */
  leaseDurationMs: number;
  /**
   * A holder that has not renewed successfully for this long stops acting (Elector.isLeader is false); it goes on
   * trying to renew, and once a whole lease duration has passed without a renewal it tries once more and steps down
   * unless that lands.
   */
  renewDeadlineMs: number;
  /** How often a holder renews and a candidate re-checks. */
  retryPeriodMs: number;
}

/** Defaults: a crashed leader is replaced within about leaseDuration + retryPeriod = 4.5 s. */
export const DEFAULT_LEASE_OPTIONS: Readonly<LeaseOptions> = Object.freeze({
  leaseDurationMs: 4000,
  renewDeadlineMs: 2500,
  retryPeriodMs: 500,
});

/**
 * Fills in defaults and enforces Kubernetes' validity rule
 * `leaseDuration > renewDeadline > retryPeriod > 0`; throws a RangeError naming the broken bound. Pure.
 */
export function leaseOptions(partial: Partial<LeaseOptions> = {}): LeaseOptions {
  // Pick the three fields only: callers pass wider option objects, and an explicit undefined means "default".
  const o: LeaseOptions = {
    leaseDurationMs: partial.leaseDurationMs ?? DEFAULT_LEASE_OPTIONS.leaseDurationMs,
    renewDeadlineMs: partial.renewDeadlineMs ?? DEFAULT_LEASE_OPTIONS.renewDeadlineMs,
    retryPeriodMs: partial.retryPeriodMs ?? DEFAULT_LEASE_OPTIONS.retryPeriodMs,
  };
  for (const [name, v] of Object.entries(o)) {
    if (!Number.isFinite(v)) throw new RangeError(`lease option ${name} must be a finite number of ms, got ${String(v)}`);
  }
  if (!(o.retryPeriodMs > 0)) throw new RangeError(`retryPeriodMs (${o.retryPeriodMs}) must be greater than 0`);
  if (!(o.renewDeadlineMs > o.retryPeriodMs)) {
    throw new RangeError(`renewDeadlineMs (${o.renewDeadlineMs}) must be greater than retryPeriodMs (${o.retryPeriodMs})`);
  }
  if (!(o.leaseDurationMs > o.renewDeadlineMs)) {
    throw new RangeError(`leaseDurationMs (${o.leaseDurationMs}) must be greater than renewDeadlineMs (${o.renewDeadlineMs})`);
  }
  return o;
}

/** What a candidate last saw under its key. */
export interface ObservedLease {
  /** The record, or null when the key holds a release marker (the holder stopped cleanly). */
  record: LeaseRecord | null;
  /** The highest term known for the key (the record's, or the released lease's); 0 if none. */
  lastTerm: number;
  /** KV revision of the record or marker; the next write is checked against it. */
  revision: number;
  /** Local monotonic ms at which this candidate first saw this revision. */
  observedAt: number;
}

/** What the caller believes about its own leadership. */
export interface Leading {
  /** The term it acquired. */
  term: number;
  /** Local monotonic ms at which its last successful write was SENT (conservative: before the server saw it). */
  renewedAt: number;
}

/** The inputs of one decision. */
export interface LeaseDecisionInput {
  /** Local monotonic ms (performance.now()); never compared with another host's clock. */
  now: number;
  /** Wall-clock ISO time, only written into the record for humans. */
  wallTime: string;
  /** What is under the key; null when the key never existed (or was purged). */
  observed: ObservedLease | null;
  /** This candidate's identity. */
  self: string;
  options: LeaseOptions;
  /** Non-null while this candidate believes it leads. */
  leading: Leading | null;
}

/** The decision. `record` is what to write (acquire, renew); `waitMs` is how long until the next decision is due. */
export type LeaseDecision =
  | { action: "acquire"; record: LeaseRecord; waitMs: number }
  | { action: "renew"; record: LeaseRecord; waitMs: number }
  /** The lease has expired on the holder's clock: one last revision-checked renewal, and a step-down unless it lands. */
  | { action: "renewLate"; record: LeaseRecord; waitMs: number }
  | { action: "wait"; waitMs: number }
  | { action: "stepDown"; reason: "expired" | "superseded"; waitMs: number };

/**
 * Decides what a candidate or holder does next. Pure: the clock comes in as `now`.
 * A candidate takes over an absent or released lease at once, its own unrenewed lease at once
 * (with a new term), and another holder's only after `leaseDurationMs` without a change seen locally.
 */
export function decideLease(input: LeaseDecisionInput): LeaseDecision {
  const { now, observed, self, options, leading } = input;
  if (leading) return decideAsLeader(input, leading);
  const record = observed?.record ?? null;
  const nextTerm = Math.max(observed?.lastTerm ?? 0, record?.leaseTransitions ?? 0) + 1;
  if (!record || record.holderIdentity === self) {
    return { action: "acquire", record: freshRecord(input, nextTerm), waitMs: options.retryPeriodMs };
  }
  // Only our own clock counts: the holder's renewTime is another host's wall clock.
  const expiresAt = (observed?.observedAt ?? now) + record.leaseDurationMs;
  if (now >= expiresAt) return { action: "acquire", record: freshRecord(input, nextTerm), waitMs: options.retryPeriodMs };
  return { action: "wait", waitMs: Math.min(expiresAt - now, options.retryPeriodMs) };
}

function decideAsLeader(input: LeaseDecisionInput, leading: Leading): LeaseDecision {
  const { now, observed, self, options } = input;
  const record = observed?.record ?? null;
  if (!record || record.holderIdentity !== self || record.leaseTransitions !== leading.term) {
    return { action: "stepDown", reason: "superseded", waitMs: 0 };
  }
  const sinceRenew = now - leading.renewedAt;
  // Past the renew deadline the holder no longer acts, but a renewal that still lands (revision-checked: nobody took
  // the lease) keeps its term, so a process whose event loop was held for seconds (at 100,000 pods, a term's start
  // took that long, and stepping down made each new term start again: a livelock) goes on. Candidates take over a
  // whole lease duration after the last renewal they saw; by then the holder has one try left: if a candidate wrote
  // first, the revision check refuses it and the holder steps down, as it does when the try fails.
  const renewed = { ...record, leaseDurationMs: options.leaseDurationMs, renewTime: input.wallTime };
  if (sinceRenew >= options.leaseDurationMs) return { action: "renewLate", record: renewed, waitMs: 0 };
  if (sinceRenew < options.retryPeriodMs) return { action: "wait", waitMs: options.retryPeriodMs - sinceRenew };
  return {
    action: "renew",
    record: renewed,
    // If this renewal fails, try again no later than the lease's expiry, so the step-down is on time.
    waitMs: Math.min(options.retryPeriodMs, options.leaseDurationMs - sinceRenew),
  };
}

function freshRecord(input: LeaseDecisionInput, term: number): LeaseRecord {
  return {
    holderIdentity: input.self,
    leaseDurationMs: input.options.leaseDurationMs,
    acquireTime: input.wallTime,
    renewTime: input.wallTime,
    leaseTransitions: term,
  };
}
