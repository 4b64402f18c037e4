/**
 * Figure 3, command latency: `UpdateNamespace` request → reply at a fixed offered rate (open loop, measured from each
 * request's intended send time: bench/openLoop.ts), against an actor host: an idle one, or the scale-up's own while
 * it creates, binds and starts the pods (figure 3b).
 */
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { TIMEOUT_HEADER } from "../src/api/reply.js";
import { runOpenLoop, type OpenLoopResult } from "./openLoop.js";

/** How long a request waits for its reply (past it, it counts as unanswered). */
const REQUEST_TIMEOUT_MS = 10_000;

/** How many namespaces the requests are spread over (each is one actor). */
const ENTITIES = 200;

/** A load of update commands over `ENTITIES` namespaces named `lat-<tag>-<n>`. */
export interface CommandLoad {
  /** Creates the namespaces (one by one, before any measuring). */
  prepare(): Promise<void>;
  /** Offers `rate`/s for up to `seconds`, or until `stop` says so; the latency of every reply. */
  run(rate: number, seconds: number, stop?: () => boolean): Promise<OpenLoopResult>;
}

/** The load for one connection and subject prefix; `tag` keeps the namespaces of two loads apart. */
export function commandLoad(nc: NatsConnection, prefix: string, tag: string): CommandLoad {
  const name = (e: number) => `lat-${tag}-${e}`;
  // As every Coxswain sender does, it says how long it waits (Cox-Timeout): a command the host reaches later is not run.
  const waits = headers();
  waits.set(TIMEOUT_HEADER, String(REQUEST_TIMEOUT_MS));
  const request = (n: string, type: string, data: unknown, id?: string) =>
    nc.request(`${prefix}.cmd.namespaces._.${n}`, JSON.stringify({ apiVersion: "v1", type, ...(id ? { id } : {}), data }), { timeout: REQUEST_TIMEOUT_MS, headers: waits });
  return {
    async prepare() {
      for (let e = 0; e < ENTITIES; e++) {
        const reply = (await request(name(e), "CreateNamespace", { metadata: { name: name(e) } })).json() as { ok: boolean };
        if (!reply.ok) throw new Error(`CreateNamespace ${name(e)} failed: ${JSON.stringify(reply)}`);
      }
    },
    run(rate, seconds, stop) {
      const run = `${tag}-${rate}-${Date.now()}`;
      return runOpenLoop({
        rate, maxMs: seconds * 1000, ...(stop ? { stop } : {}),
        send: async (i) => {
          const n = name(i % ENTITIES);
          const m = await request(n, "UpdateNamespace", { metadata: { name: n, labels: { i: String(i) } } }, `${run}-${i}`);
          return (m.json() as { ok: boolean }).ok;
        },
      });
    },
  };
}

/**
 * Requests to `subject`, a responder of echoResponder.ts; nothing to prepare. A bare echo's every reply is a success;
 * with `appends`, each request carries its number, and an empty reply (the responder's append was refused) is a failure.
 */
export function echoLoad(nc: NatsConnection, subject: string, appends = false): CommandLoad {
  return {
    async prepare() {},
    run(rate, seconds, stop) {
      const send = async (i: number) => {
        const reply = await nc.request(subject, appends ? String(i) : "", { timeout: 10_000 });
        return !appends || reply.data.length > 0;
      };
      return runOpenLoop({ rate, maxMs: seconds * 1000, ...(stop ? { stop } : {}), send });
    },
  };
}
