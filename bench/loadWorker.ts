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

/** Which load: update commands to namespaces (commandLoad), or bare requests to a responder (echoLoad). */
export type LoadSpec = { kind: "commands"; prefix: string; tag: string } | { kind: "echo"; subject: string };

/** What the main thread asks of the worker. */
type Ask = { op: "prepare" } | { op: "run"; rate: number; seconds: number; watchStop: boolean } | { op: "close" };
/** The worker's answer to one ask. */
type Answer = { ok: true; result?: OpenLoopResult } | { ok: false; error: string };

/** What the worker is started with. */
interface Start {
  url: string;
  spec: LoadSpec;
  stopFlag: SharedArrayBuffer;
}

/** A load run in a worker thread; `close` ends the thread. */
export type WorkerLoad = CommandLoad & { close(): Promise<void> };

/** The load `spec` against the server at `url`, run in a worker thread. */
export function loadInWorker(url: string, spec: LoadSpec): WorkerLoad {
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  // From TypeScript (the bench under tsx, a test under vitest) the thread needs tsx's loader; compiled, nothing.
  const execArgv = import.meta.url.endsWith(".ts") ? ["--import", "tsx"] : undefined;
  const worker = new Worker(new URL(import.meta.url), { workerData: { url, spec, stopFlag } satisfies Start, ...(execArgv ? { execArgv } : {}) });
  let queue = Promise.resolve<unknown>(undefined);
  // One ask at a time: each answer is the next message.
  const ask = (a: Ask): Promise<OpenLoopResult | undefined> => {
    const answered = queue.then(() => new Promise<OpenLoopResult | undefined>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      worker.once("error", onError);
      worker.once("message", (m: Answer) => {
        worker.off("error", onError);
        if (m.ok) resolve(m.result);
        else reject(new Error(m.error));
      });
      worker.postMessage(a);
    }));
    queue = answered.catch(() => undefined);
    return answered;
  };
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
      await ask({ op: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}

/** The worker's side: one connection, one load, each ask answered in turn. */
async function serve(start: Start): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const nc = await connect({ servers: start.url, maxReconnectAttempts: -1 });
  const load = start.spec.kind === "commands" ? commandLoad(nc, start.spec.prefix, start.spec.tag) : echoLoad(nc, start.spec.subject);
  const flag = new Int32Array(start.stopFlag);
  port.on("message", (a: Ask) => {
    const done = a.op === "prepare" ? load.prepare().then(() => undefined)
      : a.op === "run" ? load.run(a.rate, a.seconds, a.watchStop ? () => Atomics.load(flag, 0) === 1 : undefined)
      : nc.close().then(() => undefined);
    done.then((result) => port.postMessage({ ok: true, result } satisfies Answer), (err: unknown) => port.postMessage({ ok: false, error: (err as Error).message } satisfies Answer));
  });
}

if (!isMainThread) await serve(workerData as Start);
