/**
 * A terminal's new size on a process node (`kubectl exec -it`, `kubectl attach -it`). The command runs on a
 * pseudo-terminal of util-linux `script` (execProcess.ts), whose master the agent does not hold: the size is set on
 * the terminal device itself, found in /proc, with `stty`. The kernel then sends SIGWINCH to the terminal's
 * foreground process group, so a shell or an editor redraws.
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import type { TerminalSize } from "../podStreams/protocol.js";

/** How long a size waits for its terminal to appear (the command is still starting), and how often it looks. */
const FIND_MS = 10_000;
const LOOK_MS = 20;
/** The longest one `stty` may take. */
const STTY_MS = 5_000;

/**
 * The pseudo-terminal that `pid` (a `script`) gives its command: the first `/dev/pts/N` held open by it, else by its
 * children, else by theirs (util-linux 2.35 and later keep it open in `script` itself, from before the command starts;
 * earlier ones leave it to the command). Undefined when there is none (yet). Reads /proc.
 */
export function terminalOf(pid: number | undefined): string | undefined {
  let generation = pid === undefined ? [] : [pid];
  for (let depth = 0; depth < 3 && generation.length > 0; depth++) {
    for (const p of generation) {
      const tty = ptsHeldBy(p);
      if (tty) return tty;
    }
    generation = generation.flatMap(childrenOf);
  }
  return undefined;
}

/** The first `/dev/pts/N` among the open files of `pid`, lowest descriptor first. Reads /proc. */
function ptsHeldBy(pid: number): string | undefined {
  const dir = `/proc/${pid}/fd`;
  let fds: number[];
  try {
    fds = readdirSync(dir).map(Number).sort((a, b) => a - b);
  } catch {
    return undefined; // gone
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`${dir}/${fd}`);
      if (/^\/dev\/pts\/\d+$/.test(target)) return target;
    } catch {
      // closed meanwhile
    }
  }
  return undefined;
}

/** The children of `pid` (a kernel without CONFIG_PROC_CHILDREN shows none: only `script`'s own terminal is found). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter((s) => s !== "").map(Number);
  } catch {
    return [];
  }
}

/** Sets the size of the terminal `tty` with `stty`; settles when done (a failure, the terminal gone, is dropped). */
export function setTerminalSize(tty: string, size: TerminalSize): Promise<void> {
  const args = ["-F", tty, "rows", String(size.height), "cols", String(size.width)];
  return new Promise((resolve) => void execFile("stty", args, { timeout: STTY_MS }, () => resolve()));
}

/**
 * Sets a command's terminal to the sizes it is given, in order, one at a time; of those given while one is being set,
 * only the latest (a window being dragged). A size given before the terminal is found waits for it, up to FIND_MS:
 * kubectl sends the first size as soon as the stream opens, when the command may still be starting.
 */
export class TerminalResizer {
  private pending: TerminalSize | undefined;
  private busy = false;
  private stopped = false;
  private tty: string | undefined;

  constructor(
    private readonly find: () => string | undefined,
    private readonly apply: (tty: string, size: TerminalSize) => Promise<void> = setTerminalSize,
    private readonly findMs = FIND_MS,
  ) {}

  /** A new size: set once those before it are. */
  resize(size: TerminalSize): void {
    if (this.stopped) return;
    this.pending = size;
    void this.drain();
  }

  /** No more sizes (the command or the attach is over): one being set still finishes. */
  stop(): void {
    this.stopped = true;
    this.pending = undefined;
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending && !this.stopped) {
        this.tty ??= await this.terminal();
        const size = this.pending;
        this.pending = undefined;
        // No terminal in time: the size is dropped (a later one looks again).
        if (this.tty && size && !this.stopped) await this.apply(this.tty, size);
      }
    } finally {
      this.busy = false;
    }
  }

  private async terminal(): Promise<string | undefined> {
    const deadline = Date.now() + this.findMs;
    for (;;) {
      const tty = this.find();
      if (tty || this.stopped || Date.now() >= deadline) return tty;
      await new Promise((resolve) => setTimeout(resolve, LOOK_MS));
    }
  }
}
