/**
 * One string per distinct value, for values that repeat across many documents (times, messages, field paths): the
 * read model parses each event afresh, so equal strings arrive as separate copies and a long-lived document would
 * keep its own. Bounded: when full, the table starts over (a bound, not a cache policy: values are equal either way).
 */
export class StringTable {
  private readonly held = new Map<string, string>();

  constructor(private readonly max = 4_096) {}

  /** The copy of `s` already held, or `s` (then held). */
  get(s: string): string {
    const held = this.held.get(s);
    if (held !== undefined) return held;
    if (this.held.size >= this.max) this.held.clear();
    this.held.set(s, s);
    return s;
  }

  /** Number of strings held. */
  get size(): number {
    return this.held.size;
  }
}
