/** Sending commands over NATS the way every component does: a request on `<prefix>.cmd.<kind>.<ns>.<name>`. */
import { randomUUID } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import { CommandReply, failReply, MAX_TIMEOUT_MS, REPLY_HEADER, STATUS_ONLY, TIMEOUT_HEADER } from "../api/reply.js";
import { StatusError } from "../api/status.js";
import type { Resource } from "../api/kinds.js";
import type { KindRef, OutgoingCommand } from "../actors/kindCommands.js";
import { commandSubject, USER_CHANNEL, type CommandChannel } from "../events/subjects.js";
import { againOnReconnect, RESENDS_ON_RECONNECT } from "../events/reconnects.js";
import { RequestMux } from "./requestMux.js";
import { headerBlock, type EncodedHeaders } from "./headerBlock.js";

export type { AnyCommandType, CommandInput, CommandType, KindRef, ManifestOf, OutgoingCommand } from "../actors/kindCommands.js";
export { untypedCommand } from "../actors/kindCommands.js";

/**
 * Sends commands and returns their replies; transport failures come back as an Unavailable/Timeout Status. Typed by
 * kind: to an entity of kind `R` only `R`'s commands, each with its data.
 */
export interface CommandSender {
  send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply>;
  /** The same sender waiting `timeoutMs` for each reply (and saying so in `Cox-Timeout`), where it can. */
  within?(timeoutMs: number): CommandSender;
}

/**
 * A CommandSender over a NATS connection, stamping the sender's identity into `Cox-Actor`. A command without an id
 * gets one, so that it can be sent again safely: when the connection reconnects (a NATS restart) while a command
 * waits for its reply, the request or its reply may be lost with the old server, so the command is sent again at
 * once instead of waiting out its timeout; the actor host answers a repeated id from history.
 */
export class NatsCommandSender implements CommandSender {
  /** Its requests' headers, the same for every command it sends: encoded once. */
  private readonly headers: EncodedHeaders;

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly actor: string,
    private readonly timeoutMs = 10_000,
    /** The channel this sender's role publishes on: users `cmd`, controllers `ctl`, node agents `node.<name>`. */
    private readonly channel: CommandChannel = USER_CHANNEL,
    /** False: replies come without the object (`Cox-Reply: status`), for senders that never read it. */
    private readonly replyObject = true,
  ) {
    this.headers = senderHeaders(actor, replyObject, timeoutMs);
  }

  within(timeoutMs: number): NatsCommandSender {
    return new NatsCommandSender(this.nc, this.prefix, this.actor, timeoutMs, this.channel, this.replyObject);
  }

  async send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply> {
    const body = JSON.stringify(commandBody(command));
    try {
      return CommandReply.parse(await askActors(this.nc, commandSubject(this.prefix, ref, this.channel), body, this.timeoutMs, this.headers));
    } catch (err) {
      return unanswered(err, `${command.type} for ${ref.resource}/${ref.name}`);
    }
  }
}

/** A command's wire body: its apiVersion (v1 unless given) and an id (a fresh one unless given), so that a resend is safe. */
export function commandBody(command: OutgoingCommand): Record<string, unknown> {
  return { apiVersion: command.apiVersion ?? "v1", ...command, id: command.id ?? `s-${randomUUID()}` };
}

/**
 * The headers of a sender's requests: its identity, whether the reply may leave the object out, and how long it waits
 * for the reply (`Cox-Timeout`, at least 1 ms: a command still queued at the host past that is not run; left out for
 * a wait longer than the header allows, a day, which the host would refuse). Pure.
 */
export function senderHeaders(actor: string, replyObject: boolean, timeoutMs: number): EncodedHeaders {
  const pairs: Record<string, string> = { "Cox-Actor": actor };
  if (!replyObject) pairs[REPLY_HEADER] = STATUS_ONLY;
  const waits = Math.max(1, Math.ceil(timeoutMs));
  if (waits <= MAX_TIMEOUT_MS) pairs[TIMEOUT_HEADER] = String(waits);
  return headerBlock(pairs) as EncodedHeaders; // never undefined: Cox-Actor is always there
}

/**
 * Requests `body` on `subject` from the actor hosts and returns the reply's JSON: sent again at once when the connection
 * reconnects while it waits, and after a short wait when no host listens yet (just after a NATS restart). Throws the
 * transport's error when it gets no answer.
 */
export async function askActors(nc: NatsConnection, subject: string, body: string, timeoutMs: number, h: EncodedHeaders): Promise<unknown> {
  const mux = RequestMux.of(nc);
  const request = () => mux.request(subject, body, { timeout: timeoutMs, headers: h });
  for (let tries = 1; ; tries++) {
    try {
      return (await againOnReconnect(nc, request)).json();
    } catch (err) {
      if (!/no responders/i.test(String(err)) || tries > RESENDS_ON_RECONNECT) throw err;
      await new Promise((r) => setTimeout(r, 250 * tries));
    }
  }
}

/** The reply for a command that got no answer (`what`): a Timeout or Unavailable Status. Pure. */
export function unanswered(err: unknown, what: string): CommandReply {
  const message = (err as Error).message ?? String(err);
  const reason = /timeout/i.test(message) ? "Timeout" : "Unavailable";
  return failReply(new StatusError(reason, `no answer to ${what}: ${message}`, {}, { cause: err }));
}
