/**
 * One string per distinct value, for values that repeat across many documents (times, messages, field paths): the
 * read model parses each event afresh, so equal strings arrive as separate copies and a long-lived document would
 * keep its own. Bounded as an InternTable is.
 */
import { InternTable } from "../events/internTable.js";

const itself = (s: string) => s;

export class StringTable {
  private readonly table: InternTable<string>;

  constructor(max = 4_096) {
    this.table = new InternTable(max);
  }

  /** The copy of `s` already held, or `s` (then held). */
  get(s: string): string {
    return this.table.get(s, itself);
  }

  /** Number of strings held. */
  get size(): number {
    return this.table.size;
  }
}
