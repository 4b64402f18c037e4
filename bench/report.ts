/** What a bench run reports: the printed rows (figure | value | ceiling/goal | ratio) and the figures by stable key. */
import type { Row } from "./history.js";

/** Collects rows (printed as they come) and figures (for the history line). */
export class Report {
  readonly rows: Row[] = [];
  readonly figures: Record<string, number> = {};

  constructor(private readonly say: (line: string) => void) {}

  /** Adds and prints one row. */
  row(figure: string, value: string, against: string, ratio = ""): void {
    this.rows.push({ figure, value, against, ratio });
    this.say(`  ${figure}: ${value}  (${against}) ${ratio}`);
  }

  /** Keeps numbers under `prefix.key` (undefined ones are left out; NaN is kept out of JSON as well). */
  figure(prefix: string, values: Record<string, number | undefined>): void {
    for (const [k, v] of Object.entries(values)) if (v !== undefined && !Number.isNaN(v)) this.figures[`${prefix}.${k}`] = v;
  }

  /** The rows as a Markdown table. Pure. */
  table(): string {
    return markdownTable(this.rows);
  }
}

/** `x ÷ of`, with ✓ when the goal (`≥` or `≤` of) is met. Pure. */
export function ratio(x: number, of: number, good: "≥" | "≤"): string {
  return `${(x / of).toFixed(2)} ${(good === "≥" ? x >= of : x <= of) ? "✓" : "✗"}`;
}

/** A Markdown table of rows, columns padded. Pure. */
export function markdownTable(rs: readonly Row[]): string {
  const head: Row = { figure: "figure", value: "value", against: "ceiling/goal", ratio: "ratio" };
  const cols = ["figure", "value", "against", "ratio"] as const;
  const width = cols.map((c) => Math.max(...[head, ...rs].map((r) => r[c].length)));
  const line = (r: Row) => `| ${cols.map((c, i) => r[c].padEnd(width[i] ?? 0)).join(" | ")} |`;
  return [line(head), `| ${width.map((w) => "-".repeat(w)).join(" | ")} |`, ...rs.map(line)].join("\n");
}
