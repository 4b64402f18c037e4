/** What every coxctl verb starts from: the connection (flags → URL, prefix, credentials), the read client and the command sender. */
import { hostname } from "node:os";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Resource } from "../../api/kinds.js";
import type { OkReply } from "../../api/reply.js";
import { connectNats } from "../../nats/connect.js";
import { NatsCommandSender, type KindRef, type OutgoingCommand } from "../../nats/commandClient.js";
import { ReadClient, statusErrorOf } from "../../projections/readClient.js";
import { CoxctlError } from "./errors.js";
import { parseDuration } from "./duration.js";
import { authOf, natsUrlOf, prefixOf, type CommonFlags } from "../config.js";

/** The flags every verb takes, plus the namespace flags of namespaced verbs. */
export interface CoxctlFlags extends CommonFlags {
  namespace?: string | undefined;
  requestTimeout?: string | undefined;
}

/** How long each request waits for its answer (`--request-timeout`; unset or 0: 10 s). Pure. */
export function requestTimeoutMs(flags: CoxctlFlags): number {
  const ms = flags.requestTimeout === undefined ? 0 : parseDuration(flags.requestTimeout);
  return ms > 0 ? Math.ceil(ms) : DEFAULT_REQUEST_TIMEOUT_MS;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** A connected client. */
export interface Client {
  nc: NatsConnection;
  prefix: string;
  reads: ReadClient;
  /** Sends a command as a user (typed by the entity's kind); a rejection is thrown as a StatusError. */
  send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<OkReply>;
}

/** The namespace a namespaced verb works in: `-n`, else `default`. Pure. */
export function namespaceOf(flags: CoxctlFlags): string {
  return flags.namespace ?? "default";
}

/** Connects as the data folder's admin (or the given credentials), runs `fn`, and closes the connection whatever happens. */
export async function withClient<T>(flags: CoxctlFlags, fn: (client: Client) => Promise<T>): Promise<T> {
  const timeoutMs = requestTimeoutMs(flags); // a bad value is refused before connecting
  let nc: NatsConnection;
  try {
    nc = await connectNats(natsUrlOf(flags), "coxctl", authOf(flags, "admin"));
  } catch (err) {
    throw new CoxctlError((err as Error).message, { cause: err });
  }
  const prefix = prefixOf(flags);
  const sender = new NatsCommandSender(nc, prefix, `user/coxctl/${hostname()}`, timeoutMs);
  const client: Client = {
    nc, prefix, reads: new ReadClient(nc, prefix, timeoutMs),
    async send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>) {
      const reply = await sender.send(ref, command);
      if (!reply.ok) throw statusErrorOf(reply.status);
      return reply;
    },
  };
  try {
    return await fn(client);
  } finally {
    await nc.close().catch(() => undefined);
  }
}
