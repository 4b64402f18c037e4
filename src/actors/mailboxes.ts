/**
 * A mailbox per entity: the work sent to one entity runs one item at a time, in arrival order, while the work
 * of different entities runs concurrently. A mailbox exists only while it holds work.
 */

interface Mailbox {
  tail: Promise<unknown>;
  pending: number;
}

/** The mailboxes of one actor host, by entity key. */
export class Mailboxes {
  private readonly boxes = new Map<string, Mailbox>();

  /** Runs `work` after the work already queued for `key`; its result (or rejection) is the caller's alone. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const box = this.boxes.get(key) ?? { tail: Promise.resolve(), pending: 0 };
    this.boxes.set(key, box);
    box.pending++;
    const run = box.tail.then(work);
    box.tail = run.catch(() => undefined).finally(() => {
      if (--box.pending === 0 && this.boxes.get(key) === box) this.boxes.delete(key);
    });
    return run;
  }

  /** Whether work is queued or running for `key`. */
  busy(key: string): boolean {
    return this.boxes.has(key);
  }

  /** Resolves when the work queued now has finished (whatever its outcome). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.boxes.values()].map((m) => m.tail));
  }
}
