/** Sending commands over NATS the way every component does: a request on `<prefix>.cmd.<kind>.<ns>.<name>`. */
import { randomUUID } from "node:crypto";
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { CommandReply, failReply, REPLY_HEADER, STATUS_ONLY } from "../api/reply.js";
import { StatusError } from "../api/status.js";
import type { Resource } from "../api/kinds.js";
import type { KindRef, OutgoingCommand } from "../actors/kindCommands.js";
import { commandSubject, USER_CHANNEL, type CommandChannel } from "../events/subjects.js";
import { againOnReconnect, RESENDS_ON_RECONNECT } from "../events/reconnects.js";
import { RequestMux } from "./requestMux.js";

export type { AnyCommandType, CommandInput, CommandType, KindRef, ManifestOf, OutgoingCommand } from "../actors/kindCommands.js";
export { untypedCommand } from "../actors/kindCommands.js";

/**
 * Sends commands and returns their replies; transport failures come back as an Unavailable/Timeout Status. Typed by
 * kind: to an entity of kind `R` only `R`'s commands, each with its data.
 */
export interface CommandSender {
  send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply>;
}

/**
 * A CommandSender over a NATS connection, stamping the sender's identity into `Cox-Actor`. A command without an id
 * gets one, so that it can be sent again safely: when the connection reconnects (a NATS restart) while a command
 * waits for its reply, the request or its reply may be lost with the old server, so the command is sent again at
 * once instead of waiting out its timeout; the actor host answers a repeated id from history.
 */
export class NatsCommandSender implements CommandSender {
  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly actor: string,
    private readonly timeoutMs = 10_000,
    /** The channel this sender's role publishes on: users `cmd`, controllers `ctl`, node agents `node.<name>`. */
    private readonly channel: CommandChannel = USER_CHANNEL,
    /** False: replies come without the object (`Cox-Reply: status`), for senders that never read it. */
    private readonly replyObject = true,
  ) {}

  async send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply> {
    const h = headers();
    h.set("Cox-Actor", this.actor);
    if (!this.replyObject) h.set(REPLY_HEADER, STATUS_ONLY);
    const body = JSON.stringify({ apiVersion: command.apiVersion ?? "v1", ...command, id: command.id ?? `s-${randomUUID()}` });
    const subject = commandSubject(this.prefix, ref, this.channel);
    const mux = RequestMux.of(this.nc);
    const request = () => mux.request(subject, body, { timeout: this.timeoutMs, headers: h });
    try {
      for (let tries = 1; ; tries++) {
        try {
          return CommandReply.parse((await againOnReconnect(this.nc, request)).json());
        } catch (err) {
          // Just after a NATS restart the actor hosts may not have subscribed again yet: a short wait, then again.
          if (!/no responders/i.test(String(err)) || tries > RESENDS_ON_RECONNECT) throw err;
          await new Promise((r) => setTimeout(r, 250 * tries));
        }
      }
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const reason = /timeout/i.test(message) ? "Timeout" : "Unavailable";
      return failReply(new StatusError(reason, `no answer to ${command.type} for ${ref.resource}/${ref.name}: ${message}`, {}, { cause: err }));
    }
  }
}
