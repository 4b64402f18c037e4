/**
 * Running a process until SIGTERM/SIGINT, then stopping its parts in reverse order. The handlers are installed
 * before anything starts (`installSignalHandlers`, from commander's preAction hook), so a signal at any moment,
 * even halfway through starting, ends in a clean stop and exit 0. Signals are the process's, so this is one
 * lifecycle per process. A signal that comes again while the stop runs is taken as the same request: under
 * `npm start` the terminal's Ctrl-C reaches npm, tsx and coxswain, and npm and tsx relay it, so it arrives twice (with
 * a one-shot handler the second ended the process at once, before it had stopped its managed nats-server).
 */

/** Something that stops cleanly; `what` names it in the progress of a long stop. */
export type Stopper = (() => Promise<void> | void) & { what?: string };

/** `stop` with the name a long stop says it waits for ("the node agents: …"). */
export function named(what: string, stop: () => Promise<void> | void): Stopper {
  return Object.assign(() => stop(), { what }); // a function of its own: the one given may be named elsewhere too
}

/** How long a stop runs before it says what it waits for, and how often it says so again. */
export const STOP_PROGRESS_MS = 2_000;

/** Thrown by `checkStopRequested` when a signal came while the process was starting: the start gives up there. */
export class StopRequested extends Error {
  constructor() {
    super("stopping: a signal came while starting");
    this.name = "StopRequested";
  }
}

/** How long a start that is stuck in one step may delay the stop a signal asked for. */
const STUCK_START_MS = 10_000;

const state = {
  stoppers: [] as Stopper[],
  installed: false,
  /** True once the process has begun starting parts (`trackStoppers`). */
  starting: false,
  /** The signal that came while starting, if one did. */
  requested: undefined as string | undefined,
  running: false,
  stopping: false,
  say: (() => undefined) as (line: string) => void,
};

/** Installs the SIGTERM/SIGINT handlers (once); call it before the first part starts. */
export function installSignalHandlers(): void {
  if (state.installed) return;
  state.installed = true;
  // bin/coxswain.js ends the process on a signal while the modules load; from here on these handlers answer.
  const early = (globalThis as Record<symbol, unknown>)[Symbol.for("coxswain.earlySignalHandler")];
  if (typeof early === "function") {
    process.removeListener("SIGTERM", early as () => void);
    process.removeListener("SIGINT", early as () => void);
  }
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
}

/**
 * Names the list the starting process fills with its parts' stoppers (in start order): a signal stops those, saying
 * so with `say` (also a stop that comes while starting).
 */
export function trackStoppers(stoppers: Stopper[], say: (line: string) => void = () => undefined): void {
  state.stoppers = stoppers;
  state.say = say;
  state.starting = true;
}

/**
 * Called after each part has started (and its stoppers were kept): when a signal came meanwhile, the stop begins,
 * that part included, and `StopRequested` ends the start.
 */
export function checkStopRequested(): void {
  if (state.requested === undefined) return;
  void stop(state.requested, 0);
  throw new StopRequested();
}

/** Everything has started: from now on a signal stops `stoppers` at once (and one that came already does so now). */
export function stopOnSignal(stoppers: Stopper[], say: (line: string) => void = () => undefined): void {
  state.stoppers = stoppers;
  state.say = say;
  state.running = true;
  installSignalHandlers();
  if (state.requested !== undefined) void stop(state.requested, 0);
}

/** The start failed (not by a signal): stops what had started, then exits 1. */
export async function stopAfterFailedStart(): Promise<void> {
  await stop("start failed", 1);
}

function onSignal(signal: string): void {
  if (state.stopping || state.requested !== undefined) return; // the same request again (a relayed copy)
  // Running, or a command that starts no parts (replay, credentials): nothing to wait for.
  if (state.running || !state.starting) return void stop(signal, 0);
  // Halfway through starting: the step under way finishes (so that what it starts is stopped too), then the next
  // `checkStopRequested` stops everything; a step that never finishes is given STUCK_START_MS.
  state.requested = signal;
  setTimeout(() => void stop(signal, 0), STUCK_START_MS).unref();
}

/** Runs the stoppers last-first, once, and exits with `code` (1 when a stopper failed). */
async function stop(why: string, code: number): Promise<void> {
  if (state.stopping) return;
  state.stopping = true;
  if (code === 0) state.say(`${why}: stopping`);
  const failed = await runStoppers(state.stoppers, state.say);
  process.exit(failed ? 1 : code);
}

/**
 * Runs `stoppers` last-first, each after the one before has finished. A stop that has run `everyMs` says what it
 * waits for, and says so again every `everyMs` (a node agent stopping a thousand containers takes seconds). True when
 * one of them failed (each failure is written to stderr; the others still run).
 */
export async function runStoppers(stoppers: readonly Stopper[], say: (line: string) => void, everyMs = STOP_PROGRESS_MS): Promise<boolean> {
  const started = Date.now();
  let current: Stopper | undefined;
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    say(`  … still stopping after ${seconds} s: ${current?.what ?? "a part"}`);
  }, everyMs);
  ticker.unref(); // a stopper that never settles does not keep the process alive by itself, as before
  let failed = false;
  try {
    for (const s of [...stoppers].reverse()) {
      current = s;
      try {
        await s();
      } catch (err) {
        failed = true;
        process.stderr.write(`error while stopping: ${(err as Error).message}\n`);
      }
    }
  } finally {
    clearInterval(ticker);
  }
  return failed;
}
