/**
 * Running a process until SIGTERM/SIGINT, then stopping its parts in reverse order. The handlers are
 * installed before anything starts, so a signal at any moment (even halfway through starting) ends in
 * a clean stop and exit 0.
 */

/** Something that stops cleanly. */
export type Stopper = () => Promise<void> | void;

/** Thrown by `keep` when a signal came while the process was starting: the start gives up there. */
export class StopRequested extends Error {
  constructor() {
    super("stopping: a signal came while starting");
    this.name = "StopRequested";
  }
}

/** How long a start that is stuck in one step may delay the stop a signal asked for. */
const STUCK_START_MS = 10_000;

/** The parts a process started, and what happens to them on a signal. */
export class ProcessLifecycle {
  private readonly stoppers: Stopper[] = [];
  private requested: string | undefined;
  private stopping = false;
  private running = false;

  /** Installs the SIGTERM/SIGINT handlers at once. */
  constructor(private readonly say: (line: string) => void = () => undefined) {
    // bin/coxswain.js ends the process on a signal while the modules load; from here on this class answers.
    const early = (globalThis as Record<symbol, unknown>)[Symbol.for("coxswain.earlySignalHandler")];
    if (typeof early === "function") {
      process.removeListener("SIGTERM", early as () => void);
      process.removeListener("SIGINT", early as () => void);
    }
    process.once("SIGTERM", () => this.onSignal("SIGTERM"));
    process.once("SIGINT", () => this.onSignal("SIGINT"));
  }

  /**
   * Keeps the stoppers of a part that has just started and hands back the part. When a signal came
   * meanwhile, the stop begins (this part included) and `StopRequested` ends the start.
   */
  keep<T>(started: { value: T; stoppers: Stopper[] }): T {
    this.stoppers.push(...started.stoppers);
    if (this.requested !== undefined) {
      void this.stop(this.requested, 0);
      throw new StopRequested();
    }
    return started.value;
  }

  /** Everything has started: from now on a signal stops at once (and one that came already does so now). */
  started(): void {
    this.running = true;
    if (this.requested !== undefined) void this.stop(this.requested, 0);
  }

  /** The start failed: stops what had started, then exits 1 (0 when the failure was a requested stop). */
  async failed(err: unknown): Promise<void> {
    await this.stop(err instanceof StopRequested ? (this.requested ?? "stop") : "start failed", err instanceof StopRequested ? 0 : 1);
  }

  private onSignal(signal: string): void {
    if (this.running) return void this.stop(signal, 0);
    // Halfway through starting: the step under way finishes (so that what it starts is stopped too), then `keep` stops.
    this.requested = signal;
    setTimeout(() => void this.stop(signal, 0), STUCK_START_MS).unref();
  }

  /** Runs the stoppers last-first, once, and exits with `code` (1 when a stopper failed). */
  private async stop(why: string, code: number): Promise<void> {
    if (this.stopping) return new Promise(() => undefined);
    this.stopping = true;
    if (code === 0) this.say(`${why}: stopping`);
    let exitCode = code;
    for (const s of [...this.stoppers].reverse()) {
      try {
        await s();
      } catch (err) {
        exitCode = 1;
        process.stderr.write(`error while stopping: ${(err as Error).message}\n`);
      }
    }
    process.exit(exitCode);
  }
}
