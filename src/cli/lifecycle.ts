/** Running a process until SIGTERM/SIGINT, then stopping its parts in reverse order. */

/** Something that stops cleanly. */
export type Stopper = () => Promise<void> | void;

/** Waits for SIGTERM or SIGINT, runs the stoppers last-first, and exits 0 (1 when a stopper failed). */
export function stopOnSignal(stoppers: Stopper[], say: (line: string) => void = () => undefined): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    let code = 0;
    for (const s of [...stoppers].reverse()) {
      try {
        await s();
      } catch (err) {
        code = 1;
        process.stderr.write(`error while stopping: ${(err as Error).message}\n`);
      }
    }
    process.exit(code);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
