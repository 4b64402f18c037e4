/**
 * An open-loop load (commandLatency.ts) in a worker thread of its own, so that its timers and replies are not held
 * up by the bench's own work: during the scale-up the bench's main thread folds a watch of every pod (30,000
 * events at 10,000 pods, 300,000 at 100,000), and a reply that waited behind them counted as the actor host's
 * latency. A user's client does not share its event loop with such a watch. The worker has its own NATS connection;
 * `stop` crosses over as a flag in shared memory, read before each request is sent.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { connect } from "@nats-io/transport-node";
import { commandLoad, echoLoad, type CommandLoad } from "./commandLatency.js";
import type { OpenLoopResult } from "./openLoop.js";

/** Which load: update commands to namespaces (commandLoad), or requests to a responder (echoLoad; `appends`: one that appends). */
export type LoadSpec = { kind: "commands"; prefix: string; tag: string } | { kind: "echo"; subject: string; appends?: boolean };

/** What the main thread asks of the worker. */
type Ask = { id: number } & ({ op: "prepare" } | { op: "run"; rate: number; seconds: number; watchStop: boolean });
/** The worker's answer to the ask of the same id (an Error crosses threads with its message and stack). */
type Answer = { id: number } & ({ ok: true; result?: OpenLoopResult } | { ok: false; error: Error });

/** `Omit` over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the worker is started with. */
interface Start {
  url: string;
  spec: LoadSpec;
  stopFlag: SharedArrayBuffer;
}

/** A load run in a worker thread; `close` ends the thread (and a run under way with it). */
export type WorkerLoad = CommandLoad & { close(): Promise<void> };

/** An ask waiting for its answer. */
interface Waiting {
  resolve(result: OpenLoopResult | undefined): void;
  reject(err: Error): void;
}

/** How the thread starts this module: from its own file when compiled, else through loadWorkerEntry.mjs. */
function workerEntry(): { entry: URL; argv: string[] } {
  const self = import.meta.url;
  return self.endsWith(".ts") ? { entry: new URL("./loadWorkerEntry.mjs", self), argv: [self] } : { entry: new URL(self), argv: [] };
}

/** The load `spec` against the server at `url`, run in a worker thread. */
export function loadInWorker(url: string, spec: LoadSpec): WorkerLoad {
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  const { entry, argv } = workerEntry();
  const worker = new Worker(entry, { argv, workerData: { url, spec, stopFlag } satisfies Start });
  const waiting = new Map<number, Waiting>();
  let asked = 0;
  // Listened to for the thread's whole life: a worker that fails (say, it cannot connect) while no ask waits must
  // not become an uncaught exception here, and every ask after it fails at once instead of waiting for ever.
  let dead: Error | undefined;
  const die = (err: Error) => {
    dead ??= err;
    for (const w of waiting.values()) w.reject(dead);
    waiting.clear();
  };
  worker.on("error", die);
  worker.on("exit", (code) => die(new Error(`the load's worker thread exited (code ${code})`)));
  worker.on("message", (m: Answer) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.result);
    else w?.reject(m.error);
  });
  const ask = (a: DistributiveOmit<Ask, "id">) => new Promise<OpenLoopResult | undefined>((resolve, reject) => {
    if (dead) return reject(dead);
    const id = ++asked;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ ...a, id });
  });
  return {
    async prepare() {
      await ask({ op: "prepare" });
    },
    async run(rate, seconds, stop) {
      Atomics.store(flag, 0, 0);
      // The main thread raises the flag once `stop` says so; the worker reads it before each request.
      const poll = stop && setInterval(() => { if (stop()) Atomics.store(flag, 0, 1); }, 5);
      try {
        return await ask({ op: "run", rate, seconds, watchStop: stop !== undefined }) as OpenLoopResult;
      } finally {
        if (poll) clearInterval(poll);
      }
    },
    async close() {
      // Without waiting for a run under way: ending the thread closes its connection, and the run's ask fails.
      await worker.terminate();
    },
  };
}

/** The worker's side: one connection, one load, each ask answered under its id. */
async function serve(start: Start): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const nc = await connect({ servers: start.url, maxReconnectAttempts: -1 });
  const load = start.spec.kind === "commands" ? commandLoad(nc, start.spec.prefix, start.spec.tag) : echoLoad(nc, start.spec.subject, start.spec.appends);
  const flag = new Int32Array(start.stopFlag);
  port.on("message", (a: Ask) => {
    const done = a.op === "prepare" ? load.prepare().then(() => undefined)
      : load.run(a.rate, a.seconds, a.watchStop ? () => Atomics.load(flag, 0) === 1 : undefined);
    done.then(
      (result) => port.postMessage({ id: a.id, ok: true, result } satisfies Answer),
      (err: unknown) => port.postMessage({ id: a.id, ok: false, error: err instanceof Error ? err : new Error(String(err)) } satisfies Answer),
    );
  });
}

if (!isMainThread) await serve(workerData as Start);
