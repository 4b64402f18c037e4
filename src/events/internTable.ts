/**
 * One value per key, for immutable values that repeat across many entities (a pod condition set in the same second
 * on a thousand pods, a time string): a long-lived state then holds the shared one instead of its own copy. Events
 * are parsed afresh in every process, so equal values arrive as separate copies.
 * Bounded: when full, a table starts over (a bound, not a cache policy: values are equal either way).
 */
export class InternTable<V> {
  private readonly held = new Map<string, V>();

  constructor(private readonly max = 4_096) {}

  /** The value held for `key`, or `make(key)` (then held). */
  get(key: string, make: (key: string) => V): V {
    const held = this.held.get(key);
    if (held !== undefined) return held;
    if (this.held.size >= this.max) this.held.clear();
    const value = make(key);
    this.held.set(key, value);
    return value;
  }

  /** Number of values held. */
  get size(): number {
    return this.held.size;
  }
}

const itself = (s: string) => s;

/** One string per distinct value (times, messages, addresses, field paths), bounded as an InternTable is. */
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
