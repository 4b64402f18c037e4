/** Tables as kubectl prints them: upper-case headers, left-aligned columns three spaces apart, human ages. */

/** A table: the header row and the data rows (one string per cell). */
export interface Table {
  headers: string[];
  rows: string[][];
}

const GAP = "   ";

/** The column widths that fit the header and every row. Pure. */
export function columnWidths(table: Table): number[] {
  return table.headers.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? "").length)));
}

/** One line with each cell padded to its width (the last cell unpadded). Pure. */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? c.length))).join(GAP).trimEnd();
}

/** The whole table as text, one line per row, ending in a newline; `noHeaders` leaves the header out. Pure. */
export function formatTable(table: Table, opts: { noHeaders?: boolean } = {}): string {
  const widths = columnWidths(table);
  const lines = [...(opts.noHeaders ? [] : [table.headers]), ...table.rows].map((r) => formatRow(r, widths));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * A table printed as rows arrive (`get -w`, `events -w`): the first batch fixes the column widths (a wider cell later
 * just pushes its line out), and the header is printed once.
 */
export class StreamingTable {
  private widths: number[] | null = null;
  /** Rows printed so far. */
  printed = 0;

  constructor(private readonly headers: string[], private readonly write: (text: string) => void) {}

  /** Prints rows (the header first, the first time). */
  print(rows: string[][]): void {
    if (this.widths === null) {
      this.widths = columnWidths({ headers: this.headers, rows }).map((w) => w + 2);
      this.write(`${formatRow(this.headers, this.widths)}\n`);
    }
    for (const r of rows) this.write(`${formatRow(r, this.widths)}\n`);
    this.printed += rows.length;
  }
}

export { ageOf, formatAge } from "../../api/column.js";
