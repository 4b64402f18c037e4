/**
 * One read shared by the callers that need it at about the same time, where each caller must see every write made
 * before it asked (a fence: the last sequence on a subject). A caller that arrives while a read is in flight cannot
 * use that read (the server may have answered it before the caller's own write), so it joins the next one, which
 * starts when the read in flight ends. However many callers, at most one read is in flight and one waits.
 */
export class SharedRead<T> {
  private inFlight: Promise<T> | null = null;
  private next: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  /** A value read after this call: the read in flight if there is none, else the next one. */
  get(): Promise<T> {
    if (!this.inFlight) return this.start();
    if (!this.next) {
      const settled = this.inFlight.then(() => undefined, () => undefined);
      this.next = settled.then(() => {
        this.next = null;
        return this.start();
      });
    }
    return this.next;
  }

  private start(): Promise<T> {
    const read = this.read().finally(() => {
      if (this.inFlight === read) this.inFlight = null;
    });
    this.inFlight = read;
    return read;
  }
}

/** SharedReads by key (a subject), made on first use. */
export class SharedReads<T> {
  private readonly reads = new Map<string, SharedRead<T>>();

  constructor(private readonly read: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    let shared = this.reads.get(key);
    if (!shared) this.reads.set(key, (shared = new SharedRead(() => this.read(key))));
    return shared.get();
  }
}
