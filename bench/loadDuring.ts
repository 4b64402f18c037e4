/**
 * Figure 3b's loads during a scale-up, each in a worker thread (loadWorker.ts): update commands to the actor host at
 * `rate`, and beside them, at `floorRate` each, the floors under any command's latency on the same busy machine
 * (echoResponder.ts): bare requests to a responder process that only echoes, and requests to one that appends each
 * to a stream of its own before it answers.
 */
import { startEchoResponder, type ResponderMode } from "./echoResponder.js";
import { loadInWorker, type WorkerLoad } from "./loadWorker.js";
import type { OpenLoopResult } from "./openLoop.js";

/** What to offer (during a scale-up for 3b, on an otherwise idle system for 3c). */
export interface LoadOptions {
  rate: number;
  tag: string;
  /** Requests/s to each floor's responder, the echo and the append (0: neither). */
  floorRate: number;
  /**
   * Seconds the same loads run before any `run`, measured apart (0 or absent: none): the parts' code for these
   * requests is then compiled, as figure 3's host is by its 200/s run before its 1,000/s one.
   */
  warmSeconds?: number;
}

/**
 * The prepared (and, with `warmSeconds`, warmed) loads: `run` offers them until `stop` says so (or `seconds`), `close`
 * ends the workers and the responders.
 */
export interface LoadDuring {
  run(seconds: number, stop: () => boolean): Promise<LoadResults>;
  /** What the loads measured while they warmed up (LoadOptions.warmSeconds), apart from any `run`. */
  warmUp?: LoadResults;
  close(): Promise<void>;
}

/** Each load's latency: the commands', and each floor's when it ran. */
export interface LoadResults {
  commands: OpenLoopResult;
  floor?: OpenLoopResult;
  appendFloor?: OpenLoopResult;
}

/**
 * Starts the workers and the responders, creates the load's namespaces, and with `warmSeconds` runs the loads that
 * long (all before any measuring).
 */
export async function prepareLoadDuring(url: string, prefix: string, o: LoadOptions): Promise<LoadDuring> {
  const started: WorkerLoad[] = [];
  const responders: Awaited<ReturnType<typeof startEchoResponder>>[] = [];
  const close = async () => {
    await Promise.allSettled(started.map((l) => l.close()));
    await Promise.allSettled(responders.map((r) => r.stop()));
  };
  /** A floor's load in its worker and its responder, on a subject of its own. */
  const floorOf = async (mode: ResponderMode) => {
    const subject = `${prefix}.bench.${mode}`;
    const load = loadInWorker(url, { kind: "echo", subject, appends: mode === "append" });
    started.push(load);
    responders.push(await startEchoResponder(url, subject, mode));
    return load;
  };
  try {
    const commands = loadInWorker(url, { kind: "commands", prefix, tag: o.tag });
    started.push(commands);
    await commands.prepare();
    const floor = o.floorRate > 0 ? await floorOf("echo") : undefined;
    const appendFloor = o.floorRate > 0 ? await floorOf("append") : undefined;
    const run: LoadDuring["run"] = async (seconds, stop) => {
      const [c, f, a] = await Promise.all([commands.run(o.rate, seconds, stop), floor?.run(o.floorRate, seconds, stop), appendFloor?.run(o.floorRate, seconds, stop)]);
      return { commands: c, ...(f ? { floor: f } : {}), ...(a ? { appendFloor: a } : {}) };
    };
    const warmUp = o.warmSeconds ? await run(o.warmSeconds, () => false) : undefined;
    return { run, close, ...(warmUp ? { warmUp } : {}) };
  } catch (err) {
    await close();
    throw err;
  }
}
