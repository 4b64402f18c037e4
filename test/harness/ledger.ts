/**
 * The books of a hostile run: every attempt by class and by who decided it, and for every accepted command
 * the events its reply reported, so that the event stream can be audited against them afterwards.
 */
import type { Verdict } from "./users.js";

type Column = Verdict["by"];
const COLUMNS: Column[] = ["client", "server", "host", "accepted", "unanswered"];

/** Attempts and the events that accepted commands must have appended. */
export class Ledger {
  private readonly rows = new Map<string, Record<Column, number>>();
  private readonly reasons = new Map<string, Map<string, number>>();
  /** Event subject → command id → number of events its (first) reply reported. */
  private readonly promised = new Map<string, Map<string, number>>();

  constructor(private readonly prefix: string) {}

  /** Books one attempt of `cls`; for an accepted command, the events it promised on its entity. */
  record(cls: string, v: Verdict, command?: { subject: string; id: string }): Verdict {
    const row = this.rows.get(cls) ?? { client: 0, server: 0, host: 0, accepted: 0, unanswered: 0 };
    row[v.by]++;
    this.rows.set(cls, row);
    const reason = v.by === "accepted" ? "ok" : `${v.by}: ${v.reason}`;
    const reasons = this.reasons.get(cls) ?? new Map<string, number>();
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    this.reasons.set(cls, reasons);
    if (v.by === "accepted" && command) {
      const events = Array.isArray(v.reply.events) ? v.reply.events.length : 0;
      const subject = this.eventSubjectOf(command.subject);
      const byId = this.promised.get(subject) ?? new Map<string, number>();
      if (!byId.has(command.id)) byId.set(command.id, events);
      this.promised.set(subject, byId);
    }
    return v;
  }

  /** Events each entity must hold: the sum over its distinct accepted command ids. */
  expectedEvents(): Map<string, number> {
    return new Map([...this.promised].map(([s, byId]) => [s, [...byId.values()].reduce((a, b) => a + b, 0)]));
  }

  /** The command ids that appended something, per event subject. */
  expectedCommandIds(subject: string): string[] {
    return [...(this.promised.get(subject) ?? new Map<string, number>())].filter(([, n]) => n > 0).map(([id]) => id).sort();
  }

  /** Attempts of a class that nobody refused and nobody answered, or that were accepted. */
  count(cls: string, by: Column): number {
    return this.rows.get(cls)?.[by] ?? 0;
  }

  /** The summary: attempts by class, refused by the client library / server / host, accepted, unanswered; then the reasons. */
  table(): string {
    const head = ["class", "attempts", "refused by client lib", "refused by server", "refused by host", "accepted", "unanswered"];
    const lines = [...this.rows].map(([cls, r]) => [cls, String(COLUMNS.reduce((a, c) => a + r[c], 0)), ...COLUMNS.map((c) => String(r[c]))]);
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
    const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
    const reasons = [...this.reasons].map(([cls, m]) => `  ${cls}: ${[...m].map(([k, n]) => `${k} ×${n}`).join(", ")}`);
    return [fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...lines.map(fmt), "", ...reasons].join("\n");
  }

  /** `<p>.ev.<kind>.<ns>.<name>` of a command subject on any channel. */
  private eventSubjectOf(subject: string): string {
    const tokens = subject.split(".");
    return `${this.prefix}.ev.${tokens.slice(-3).join(".")}`;
  }
}
