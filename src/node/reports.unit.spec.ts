import { afterEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { failReply, type CommandReply } from "../api/reply.js";
import { StatusError, type StatusReason } from "../api/status.js";
import type { CommandSender } from "../nats/commandClient.js";
import { ReportQueue } from "./reports.js";
import type { Backoff } from "./backoff.js";
import { eventually } from "../../test/harness/natsServer.js";
import type { Report } from "./reconcile.js";

/** A sender that answers with the refusal `reason` for every command (after `okAfter` refusals: ok), counting them. */
function refusing(reason: StatusReason, okAfter = Infinity): CommandSender & { sent: number } {
  const s = {
    sent: 0,
    async send(): Promise<CommandReply> {
      s.sent++;
      return s.sent > okAfter ? { ok: true, object: null, version: s.sent, resourceVersion: String(s.sent), events: [] } : failReply(new StatusError(reason, "refused"));
    },
  };
  return s;
}

const QUICK: Backoff = { initialMs: 5, maxMs: 20 };

const report: Report = { id: "uid-1/app/started", ref: { resource: "pods", namespace: "default", name: "web" }, command: { type: "ContainerStarted" } };

describe("ReportQueue", () => {
  it.each([
    ["Forbidden", Infinity, 4, "tries again by itself three more times, then counts it answered"],
    ["Conflict", Infinity, 4, "tries again by itself three more times, then counts it answered"],
    ["Unavailable", 5, 6, "keeps trying, with no new offer, until it is delivered"],
  ] as const)("refused as %s (ok after %s refusals): %s sends, %s", async (reason, okAfter, sends, _what) => {
    const sender = refusing(reason, okAfter);
    const queue = new ReportQueue(sender, pino({ level: "silent" }), QUICK);
    queue.offer("uid-1", [report]);
    await eventually(() => queue.acked.has(report.id));
    expect(sender.sent).toBe(sends);
  });

  it("counts a refusal that cannot change (Invalid) as answered at once", async () => {
    const sender = refusing("Invalid");
    const queue = new ReportQueue(sender, pino({ level: "silent" }), QUICK);
    queue.offer("uid-1", [report]);
    await queue.idle(1_000);
    expect(queue.acked.has(report.id)).toBe(true);
    expect(sender.sent).toBe(1);
  });

  it("sends newer reports at once, not after the back-off, and stops trying once closed", async () => {
    const sender = refusing("Unavailable");
    const queue = new ReportQueue(sender, pino({ level: "silent" }), { initialMs: 3_600_000, maxMs: 3_600_000 });
    queue.offer("uid-1", [report]);
    await eventually(() => sender.sent === 1);
    queue.offer("uid-1", [report]);
    await eventually(() => sender.sent === 2);
    queue.close();
    await queue.idle(1_000);
    expect(sender.sent).toBe(2);
  });

  it("waits the back-off's longest wait before trying a changeable refusal again, the shortest after a transient failure", async () => {
    vi.useFakeTimers();
    const changeable = refusing("Forbidden");
    const transient = refusing("Unavailable");
    const backoff = { initialMs: 10, maxMs: 1_000 };
    new ReportQueue(changeable, pino({ level: "silent" }), backoff).offer("uid-1", [report]);
    new ReportQueue(transient, pino({ level: "silent" }), backoff).offer("uid-1", [report]);
    await vi.advanceTimersByTimeAsync(11);
    expect([changeable.sent, transient.sent]).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(changeable.sent).toBe(2);
  });
});

afterEach(() => vi.useRealTimers());
