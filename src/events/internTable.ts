/**
 * One value per key, for immutable values that repeat across many entities (a pod condition set in the same second
 * on a thousand pods, a time string): a long-lived state then holds the shared one instead of its own copy.
 * Bounded: when full, the table starts over (a bound, not a cache policy: values are equal either way).
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
