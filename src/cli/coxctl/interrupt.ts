/** Ctrl-C for long-running verbs (`-w`, `-f`, rolling-update): one abort signal for the process, and progress on a terminal. */

let controller: AbortController | null = null;

/** Aborted on the first SIGINT or SIGTERM; a second SIGINT exits at once with 130. */
export function interruptSignal(): AbortSignal {
  if (controller) return controller.signal;
  const c = new AbortController();
  controller = c;
  const onSignal = () => {
    if (c.signal.aborted) process.exit(130);
    c.abort(new Error("interrupted"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return c.signal;
}

/** Resolves after `ms`, or at once when `signal` is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A one-line progress indicator, drawn only when stdout is a terminal (so pipes and tests see only the real output). */
export class Progress {
  private readonly tty = process.stdout.isTTY === true;
  private shown = false;
  private static readonly FRAMES = "|/-\\";
  private frame = 0;

  /** Redraws the line with `text` and a spinner. */
  update(text: string): void {
    if (!this.tty) return;
    const spin = Progress.FRAMES[this.frame++ % Progress.FRAMES.length] ?? "";
    process.stdout.write(`\r\x1b[2K${spin} ${text}`);
    this.shown = true;
  }

  /** Erases the line (call before printing real output). */
  clear(): void {
    if (this.tty && this.shown) process.stdout.write("\r\x1b[2K");
    this.shown = false;
  }
}
