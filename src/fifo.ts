/** A first-in first-out list for queues that may grow long (work queues, waiting commands). No I/O. */

/**
 * Its `shift` is O(1): `Array.prototype.shift` moves every element once an array is too
 * large for V8 to trim in place (past ~16,000 elements: ~10 µs a shift at 100,000 keys, 155 µs with pushes between,
 * and a scheduler's queue holds every pending pod). Taken elements are dropped in one copy once they are half.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest element, removed; undefined when there is none (as an array's `shift`). */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined as T;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
