/**
 * A CommandSender for senders of many commands (the controllers, the node agents): the commands sent in one turn of
 * the event loop go as batches (src/actors/batch.ts) of at most MAX_BATCH_COMMANDS commands and MAX_BATCH_BYTES,
 * one request and one reply for each batch instead of one per command. A command sent alone goes alone, as
 * NatsCommandSender sends it. Each command keeps its own reply, and its id, so that a batch sent again is harmless.
 */
import { z } from "zod";
import type { NatsConnection } from "@nats-io/transport-node";
import { CommandReply } from "../api/reply.js";
import type { Resource } from "../api/kinds.js";
import type { KindRef, OutgoingCommand } from "../actors/kindCommands.js";
import { batchSubject, MAX_BATCH_BYTES, MAX_BATCH_COMMANDS } from "../actors/batch.js";
import { commandSubject, commandTree, type CommandChannel } from "../events/subjects.js";
import { askActors, commandBody, senderHeaders, unanswered, type CommandSender } from "./commandClient.js";

/** A batch's reply: each command's, in order; or the refusal of the whole batch. */
const BatchReply = z.union([z.object({ replies: z.array(CommandReply) }), CommandReply]);

interface Pending {
  subject: string;
  body: Record<string, unknown>;
  /** The command's JSON with its `subject` (the rest of its own command subject), as it goes in a batch. */
  json: string;
  what: string;
  resolve(reply: CommandReply): void;
}

/** Sends the commands of each turn in batches on `channel`'s tree. */
export class BatchingCommandSender implements CommandSender {
  private pending: Pending[] = [];
  private readonly tree: string;

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly actor: string,
    private readonly timeoutMs: number,
    private readonly channel: CommandChannel,
    private readonly replyObject = false,
  ) {
    this.tree = commandTree(prefix, channel);
  }

  send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply> {
    const body = commandBody(command);
    const json = JSON.stringify({ subject: `${ref.resource}.${ref.namespace}.${ref.name}`, ...body });
    return new Promise((resolve) => {
      const p = { subject: commandSubject(this.prefix, ref, this.channel), body, json, what: `${command.type} for ${ref.resource}/${ref.name}`, resolve };
      if (this.pending.push(p) === 1) setImmediate(() => this.flush());
    });
  }

  /** Sends what this turn gathered: in batches, or alone when one command fits no batch with another. */
  private flush(): void {
    const all = this.pending;
    this.pending = [];
    let group: Pending[] = [];
    let bytes = 0;
    for (const p of all) {
      if (group.length === MAX_BATCH_COMMANDS || (group.length > 0 && bytes + p.json.length + 1 > MAX_BATCH_BYTES - 64)) {
        void this.sendGroup(group);
        group = [];
        bytes = 0;
      }
      group.push(p);
      bytes += p.json.length + 1;
    }
    if (group.length > 0) void this.sendGroup(group);
  }

  private async sendGroup(group: Pending[]): Promise<void> {
    const h = senderHeaders(this.actor, this.replyObject);
    const [only] = group;
    if (group.length === 1 && only) {
      only.resolve(await this.ask(only.subject, JSON.stringify(only.body), h).then((r) => CommandReply.parse(r), (err: unknown) => unanswered(err, only.what)));
      return;
    }
    try {
      const reply = BatchReply.parse(await this.ask(batchSubject(this.tree), `{"commands":[${group.map((p) => p.json).join(",")}]}`, h));
      group.forEach((p, i) => p.resolve("replies" in reply ? (reply.replies[i] ?? unanswered(new Error("the batch's reply left it out"), p.what)) : reply));
    } catch (err) {
      for (const p of group) p.resolve(unanswered(err, p.what));
    }
  }

  private ask(subject: string, body: string, h: ReturnType<typeof senderHeaders>): Promise<unknown> {
    return askActors(this.nc, subject, body, this.timeoutMs, h);
  }
}
