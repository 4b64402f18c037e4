/**
 * Figure 3b's loads during a scale-up, each in a worker thread (loadWorker.ts): update commands to the actor host at
 * `rate`, and beside them, at `floorRate`, bare requests to a responder process that only echoes (echoResponder.ts),
 * the floor under any command's latency on the same busy machine.
 */
import { startEchoResponder } from "./echoResponder.js";
import { loadInWorker, type WorkerLoad } from "./loadWorker.js";
import type { OpenLoopResult } from "./openLoop.js";

/** What to offer during the scale-up. */
export interface LoadOptions {
  rate: number;
  tag: string;
  /** Bare requests/s to the echo responder (0: none). */
  floorRate: number;
}

/** The prepared loads: `run` offers both until `stop` says so (or `seconds`), `close` ends the workers and the responder. */
export interface LoadDuring {
  run(seconds: number, stop: () => boolean): Promise<{ commands: OpenLoopResult; floor?: OpenLoopResult }>;
  close(): Promise<void>;
}

/** Starts the workers and the responder, and creates the load's namespaces (before any measuring). */
export async function prepareLoadDuring(url: string, prefix: string, o: LoadOptions): Promise<LoadDuring> {
  const subject = `${prefix}.bench.echo`;
  const started: WorkerLoad[] = [];
  let responder: Awaited<ReturnType<typeof startEchoResponder>> | undefined;
  const close = async () => {
    await Promise.allSettled(started.map((l) => l.close()));
    await responder?.stop();
  };
  try {
    const commands = loadInWorker(url, { kind: "commands", prefix, tag: o.tag });
    started.push(commands);
    await commands.prepare();
    const floor = o.floorRate > 0 ? loadInWorker(url, { kind: "echo", subject }) : undefined;
    if (floor) {
      started.push(floor);
      responder = await startEchoResponder(url, subject);
    }
    return {
      async run(seconds, stop) {
        const [c, f] = await Promise.all([commands.run(o.rate, seconds, stop), floor?.run(o.floorRate, seconds, stop)]);
        return { commands: c, ...(f ? { floor: f } : {}) };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
