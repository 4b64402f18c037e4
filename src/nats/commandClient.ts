/** Sending commands over NATS the way every component does: a request on `<prefix>.cmd.<kind>.<ns>.<name>`. */
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { CommandReply, failReply } from "../api/reply.js";
import { StatusError } from "../api/status.js";
import type { EntityRef } from "../api/kinds.js";
import { commandSubject, USER_CHANNEL, type CommandChannel } from "../events/subjects.js";

/** A command as a sender composes it (the body of PROTOCOL.md §1). */
export interface OutgoingCommand {
  type: string;
  data?: unknown;
  id?: string;
  expectedVersion?: number;
  term?: number;
  apiVersion?: "v1" | "v1beta1";
}

/** Sends commands and returns their replies; transport failures come back as an Unavailable/Timeout Status. */
export interface CommandSender {
  send(ref: EntityRef, command: OutgoingCommand): Promise<CommandReply>;
}

/** A CommandSender over a NATS connection, stamping the sender's identity into `Cox-Actor`. */
export class NatsCommandSender implements CommandSender {
  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly actor: string,
    private readonly timeoutMs = 10_000,
    /** The channel this sender's role publishes on: users `cmd`, controllers `ctl`, node agents `node.<name>`. */
    private readonly channel: CommandChannel = USER_CHANNEL,
  ) {}

  async send(ref: EntityRef, command: OutgoingCommand): Promise<CommandReply> {
    const h = headers();
    h.set("Cox-Actor", this.actor);
    const body = { apiVersion: command.apiVersion ?? "v1", ...command };
    try {
      const msg = await this.nc.request(commandSubject(this.prefix, ref, this.channel), JSON.stringify(body), { timeout: this.timeoutMs, headers: h });
      return CommandReply.parse(msg.json());
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const reason = /timeout/i.test(message) ? "Timeout" : "Unavailable";
      return failReply(new StatusError(reason, `no answer to ${command.type} for ${ref.resource}/${ref.name}: ${message}`, {}, { cause: err }));
    }
  }
}
