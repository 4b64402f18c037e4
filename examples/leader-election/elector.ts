/**
 * Leader election on a Lease, following client-go's leaderelection package: candidates poll every retry period
 * (with jitter), take the lease when it is free or when they have seen no renewal for a whole lease duration on
 * their own clock, renew every retry period while leading, step down when they cannot renew within the renew
 * deadline, and release the lease on cancel so the next candidate need not wait. Every write goes through the
 * lock with the resourceVersion last read, so two candidates can never both win: the API answers 409 to one.
 */

/** The lease's spec as the election reads and writes it (coordination.k8s.io/v1 LeaseSpec). */
export interface LeaderElectionRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** The lock: a Lease read and written with optimistic concurrency (update throws on a stale resourceVersion). */
export interface ResourceLock {
  /** The current record, or null when the lease does not exist. */
  get(): Promise<LeaderElectionRecord | null>;
  create(record: LeaderElectionRecord): Promise<void>;
  /** Replaces the record, guarded by the resourceVersion of the last get/create/update. */
  update(record: LeaderElectionRecord): Promise<void>;
  /** `namespace/name`, for the log lines. */
  describe(): string;
}

/** What the elector tells its owner. */
export interface LeaderCallbacks {
  onStartedLeading(signal: AbortSignal): void;
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
}

/** The elector's settings; durations in milliseconds (client-go's defaults: 15 s, 10 s, 2 s). */
export interface LeaderElectionConfig {
  lock: ResourceLock;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  releaseOnCancel: boolean;
  callbacks: LeaderCallbacks;
  log(line: string): void;
  /** Monotonic milliseconds (the observation clock) and the wall time written into the record. */
  now?(): number;
  wallTime?(): Date;
}

const JITTER = 1.2;

/** RFC 3339 with microseconds, as Kubernetes writes a MicroTime. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** An API error as client-go prints it: the Status message when the server sent one, else the error's own. */
export function describeError(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  try {
    const status = typeof body === "string" ? JSON.parse(body) as { message?: string } : body as { message?: string } | undefined;
    if (status?.message) return status.message;
  } catch { /* not a Status */ }
  return err instanceof Error ? err.message.split("\n")[0] ?? err.message : String(err);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal.removeEventListener("abort", done); resolve(); }
    signal.addEventListener("abort", done);
  });
}

/** One candidate. `run(signal)` campaigns, leads, and returns when `signal` aborts (after releasing if leading). */
export class LeaderElector {
  private observed: LeaderElectionRecord = {};
  private observedAt = 0;
  private reportedLeader = "";
  private readonly now: () => number;
  private readonly wall: () => Date;

  constructor(private readonly config: LeaderElectionConfig) {
    this.now = config.now ?? (() => performance.now());
    this.wall = config.wallTime ?? (() => new Date());
  }

  /** True while the last record this candidate saw or wrote names it as holder. */
  isLeader(): boolean {
    return this.observed.holderIdentity === this.config.identity;
  }

  /** Campaigns until leading, leads until the renewals fail or `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    try {
      if (!(await this.acquire(signal))) return;
      const leading = new AbortController();
      const stop = () => leading.abort();
      signal.addEventListener("abort", stop);
      this.config.callbacks.onStartedLeading(leading.signal);
      await this.renew(leading.signal);
      signal.removeEventListener("abort", stop);
      leading.abort();
      if (this.config.releaseOnCancel) await this.release();
    } finally {
      this.config.callbacks.onStoppedLeading();
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    const desc = this.config.lock.describe();
    this.config.log(`attempting to acquire leader lease ${desc}...`);
    while (!signal.aborted) {
      const ok = await this.tryAcquireOrRenew();
      if (ok) this.config.log(`successfully acquired lease ${desc}`);
      this.reportTransition();
      if (ok) return true;
      await sleep(this.config.retryPeriodMs * (1 + Math.random() * JITTER), signal);
    }
    return false;
  }

  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = this.now() + this.config.renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted && this.now() < deadline) {
        if ((renewed = await this.tryAcquireOrRenew())) break;
        await sleep(this.config.retryPeriodMs, signal);
      }
      this.reportTransition();
      if (signal.aborted) return;
      if (!renewed) {
        this.config.log(`failed to renew lease ${this.config.lock.describe()}: timed out waiting for the condition`);
        return;
      }
      await sleep(this.config.retryPeriodMs, signal);
    }
  }

  private leaseValid(now: number): boolean {
    return this.observedAt + (this.observed.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private observe(record: LeaderElectionRecord): void {
    this.observed = record;
    this.observedAt = this.now();
  }

  /** One attempt: create, take over, or renew; false when another holds a valid lease or the write lost. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const wall = microTime(this.wall());
    const mine: LeaderElectionRecord = {
      holderIdentity: this.config.identity, leaseDurationSeconds: Math.round(this.config.leaseDurationMs / 1000), acquireTime: wall, renewTime: wall,
    };
    if (this.isLeader() && this.leaseValid(this.now())) {
      const fast = { ...mine, acquireTime: this.observed.acquireTime ?? wall, leaseTransitions: this.observed.leaseTransitions ?? 0 };
      if (await this.write(() => this.config.lock.update(fast), "Failed to update lock optimistically")) { this.observe(fast); return true; }
    }
    let current: LeaderElectionRecord | null;
    try {
      current = await this.config.lock.get();
    } catch (err) {
      this.config.log(`error retrieving resource lock ${this.config.lock.describe()}: ${describeError(err)}`);
      return false;
    }
    if (current === null) {
      const created = { ...mine, leaseTransitions: 0 };
      if (!(await this.write(() => this.config.lock.create(created), "error initially creating leader election record"))) return false;
      this.observe(created);
      return true;
    }
    if (JSON.stringify(current) !== JSON.stringify(this.observed)) this.observe(current);
    if ((current.holderIdentity ?? "") !== "" && this.leaseValid(this.now()) && !this.isLeader()) return false;
    const next = this.isLeader()
      ? { ...mine, acquireTime: current.acquireTime ?? wall, leaseTransitions: current.leaseTransitions ?? 0 }
      : { ...mine, leaseTransitions: (current.leaseTransitions ?? 0) + 1 };
    if (!(await this.write(() => this.config.lock.update(next), "Failed to update lock"))) return false;
    this.observe(next);
    return true;
  }

  private async write(op: () => Promise<void>, what: string): Promise<boolean> {
    try {
      await op();
      return true;
    } catch (err) {
      this.config.log(`${what}: ${describeError(err)}`);
      return false;
    }
  }

  private reportTransition(): void {
    const holder = this.observed.holderIdentity ?? "";
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (holder !== "") this.config.callbacks.onNewLeader?.(holder);
  }

  /** Gives the lease up (holder emptied, duration 1 s) so a waiting candidate takes it at its next try. */
  async release(): Promise<boolean> {
    if (!this.isLeader()) return true;
    const wall = microTime(this.wall());
    const released = { holderIdentity: "", leaseDurationSeconds: 1, acquireTime: wall, renewTime: wall, leaseTransitions: this.observed.leaseTransitions ?? 0 };
    if (!(await this.write(() => this.config.lock.update(released), "Failed to release lock"))) return false;
    this.observe(released);
    return true;
  }
}
