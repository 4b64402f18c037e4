import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { failReply, type CommandReply } from "../api/reply.js";
import { StatusError, type StatusReason } from "../api/status.js";
import type { CommandSender } from "../nats/commandClient.js";
import { ReportQueue } from "./reports.js";
import type { Report } from "./reconcile.js";

/** A sender that answers with the refusal `reason` for every command, counting them. */
function refusing(reason: StatusReason): CommandSender & { sent: number } {
  const s = {
    sent: 0,
    async send(): Promise<CommandReply> {
      s.sent++;
      return failReply(new StatusError(reason, "refused"));
    },
  };
  return s;
}

const report: Report = { id: "uid-1/app/started", ref: { resource: "pods", namespace: "default", name: "web" }, command: { type: "ContainerStarted" } };

/** Offers the report as the agent's reconciles would, until it counts as answered or `rounds` run out. */
async function offerUntilAnswered(queue: ReportQueue, rounds: number): Promise<number> {
  for (let round = 1; round <= rounds; round++) {
    queue.offer("uid-1", [report]);
    await queue.idle(1_000);
    if (queue.acked.has(report.id)) return round;
  }
  return -1;
}

describe("ReportQueue", () => {
  it.each(["Forbidden", "Conflict"] as const)("tries a report refused as %s again, three more times, then counts it answered", async (reason) => {
    const sender = refusing(reason);
    const queue = new ReportQueue(sender, pino({ level: "silent" }));
    expect(await offerUntilAnswered(queue, 10)).toBe(4);
    expect(sender.sent).toBe(4);
  });

  it("counts a refusal that cannot change (Invalid) as answered at once", async () => {
    const sender = refusing("Invalid");
    const queue = new ReportQueue(sender, pino({ level: "silent" }));
    expect(await offerUntilAnswered(queue, 10)).toBe(1);
  });

  it("keeps trying a transient failure (Unavailable)", async () => {
    const queue = new ReportQueue(refusing("Unavailable"), pino({ level: "silent" }));
    expect(await offerUntilAnswered(queue, 10)).toBe(-1);
  });
});
