/**
 * Delivery of a node's reports to pod actors: per pod, one at a time and in order (a container's start before
 * its exit), each remembered once answered so that it is not sent again. A report that meets a transient failure
 * (no answer, Unavailable) is tried again after a back-off (doubling, capped), or at once when the agent offers newer
 * reports for that pod; the agent's periodic resync is no longer how a report gets through.
 */
import type { Logger } from "pino";
import type { CommandReply } from "../api/reply.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { Report } from "./reconcile.js";
import { Fifo } from "../fifo.js";
import { backoffDelayMs, type Backoff } from "./backoff.js";

/** Reasons worth another try; any other refusal is final (the report is then counted as delivered). */
const TRANSIENT = new Set(["Unavailable", "Timeout", "Internal"]);
/**
 * Refusals whose reason can change: a Conflict (a concurrent writer), and a Forbidden for a pod this node's view
 * shows bound to it (the answering host may have judged an older copy of the pod). Each is tried again this many
 * times, the back-off's longest wait apart (what changes them may take seconds on a busy host), before it counts as
 * final.
 */
const CHANGEABLE = new Set(["Conflict", "Forbidden"]);
const CHANGEABLE_RETRIES = 3;

/** The back-off of a report not delivered: up to about the period the agents' whole-node resync used to retry at. */
export const REPORT_RETRY: Backoff = { initialMs: 250, maxMs: 5_000 };

/** Sends pods' reports in order, remembering which were answered. */
export class ReportQueue {
  /** Ids of the reports answered (ok, or refused for good). */
  readonly acked = new Set<string>();
  private readonly pending = new Map<string, Report[]>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly refusals = new Map<string, number>();
  /** Ends the back-off wait of a pod's drain (newer reports, a forgotten pod, or close). */
  private readonly wakers = new Map<string, () => void>();
  private closed = false;

  constructor(private readonly sender: CommandSender, private readonly log: Logger, private readonly backoff: Backoff = REPORT_RETRY) {}

  /** Replaces the reports owed for one pod and starts sending them if idle (at once if it was backing off). */
  offer(podUid: string, reports: Report[]): void {
    if (this.closed) return;
    this.pending.set(podUid, reports);
    this.wakers.get(podUid)?.();
    if (!this.busy.has(podUid)) this.busy.set(podUid, this.drain(podUid).finally(() => this.busy.delete(podUid)));
  }

  /** Forgets what it knows of a pod that is gone. */
  forgetPod(podUid: string): void {
    this.pending.delete(podUid);
    this.wakers.get(podUid)?.();
    for (const id of this.acked) if (id.startsWith(`${podUid}/`)) this.acked.delete(id);
  }

  /** Resolves once nothing is being sent (or after `timeoutMs`). */
  async idle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.busy.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.busy.values()]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())))]);
    }
  }

  /** Stops sending (what is in flight finishes; back-off waits end). */
  close(): void {
    this.closed = true;
    this.pending.clear();
    for (const wake of [...this.wakers.values()]) wake();
  }

  /** Sends the pod's owed reports one by one; one not delivered is tried again after a back-off (`failures` in a row). */
  private async drain(podUid: string): Promise<void> {
    for (let failures = 0; ;) {
      const next = (this.pending.get(podUid) ?? []).find((r) => !this.acked.has(r.id));
      if (!next || this.closed) return;
      const reply = await this.sender.send(next.ref, next.command);
      const outcome = this.settle(next, reply);
      if (outcome === "answered") failures = 0;
      else await this.backOff(podUid, outcome === "changeable" ? Infinity : ++failures);
    }
  }

  /** Waits `failures`' back-off, or until newer reports for the pod arrive, it is forgotten, or the queue closes. */
  private backOff(podUid: string, failures: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(podUid);
        resolve();
      };
      const timer = setTimeout(wake, backoffDelayMs(failures, this.backoff));
      timer.unref?.();
      this.wakers.set(podUid, wake);
    });
  }

  /** The report, and the reports it stands for, are answered. */
  private ack(report: Report): void {
    this.acked.add(report.id);
    for (const id of report.covers ?? []) this.acked.add(id);
  }

  /** Records the outcome: answered, or to be tried again (soon after a transient failure, later after a changeable refusal). */
  private settle(report: Report, reply: CommandReply): "answered" | "transient" | "changeable" {
    if (reply.ok) {
      this.ack(report);
      return "answered";
    }
    const { reason, message } = reply.status;
    const refusals = CHANGEABLE.has(reason) ? (this.refusals.get(report.id) ?? 0) + 1 : 0;
    if (TRANSIENT.has(reason) || (refusals > 0 && refusals <= CHANGEABLE_RETRIES)) {
      if (refusals > 0) this.refusals.set(report.id, refusals);
      this.log.debug({ id: report.id, reason, message }, "report not delivered; will retry");
      return refusals > 0 ? "changeable" : "transient";
    }
    this.refusals.delete(report.id);
    this.ack(report);
    this.log.warn({ id: report.id, type: report.command.type, reason, message }, "report refused");
    return "answered";
  }
}

/** A cap on the commands in flight at once, shared by every sender it wraps (all the agents of a process). */
export class SendLimiter {
  private active = 0;
  private readonly waiting = new Fifo<() => void>();

  constructor(private readonly max: number) {}

  /** `sender`, sending only when the shared cap allows. */
  wrap(sender: CommandSender): CommandSender {
    return { send: (ref, command) => this.run(() => sender.send(ref, command)) };
  }

  private async run(send: () => Promise<CommandReply>): Promise<CommandReply> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await send();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active--;
    }
  }
}
