/**
 * Sending many commands in batches (src/actors/batch.ts), for the senders that send thousands (the controllers, the
 * node agents): the commands sent in one turn of the event loop go as batches of at most MAX_BATCH_COMMANDS commands
 * and MAX_BATCH_BYTES, one request and one reply for each instead of one per command. A command alone goes alone,
 * as NatsCommandSender sends it. Each command keeps its own reply and its id, so that a batch sent again is harmless.
 * The replies come without the object (`Cox-Reply: status`): these senders never read it.
 */
import { z } from "zod";
import type { NatsConnection } from "@nats-io/transport-node";
import { CommandReply } from "../api/reply.js";
import type { Resource } from "../api/kinds.js";
import type { KindRef, OutgoingCommand } from "../actors/kindCommands.js";
import { batchOn, MAX_BATCH_BYTES, MAX_BATCH_COMMANDS, type BatchRoute } from "../actors/batch.js";
import { commandSubject, commandTree, type CommandChannel } from "../events/subjects.js";
import { askActors, commandBody, senderHeaders, unanswered, type CommandSender } from "./commandClient.js";
import type { EncodedHeaders } from "./headerBlock.js";

/** A batch's reply: each command's, in order; or the refusal of the whole batch. */
const BatchReply = z.union([z.object({ replies: z.array(CommandReply) }), CommandReply]);

/** The bytes around a batch's commands: `{"commands":[` … `]}`. */
const ENVELOPE_BYTES = 16;

/** One command waiting for the next flush. */
interface Pending {
  /** Its own command subject, for when it goes alone. */
  subject: string;
  body: Record<string, unknown>;
  /** What it is in a batch: its JSON with `subject` (relative to the batch's tree) and, when not the batch's, `actor`. */
  item: string;
  actor: string;
  what: string;
  resolve(reply: CommandReply): void;
}

/** The commands of one batch route that wait for the end of the turn, and the flush that sends them. */
export class CommandBatches {
  private pending: Pending[] = [];
  /** The headers of a batch (and of a command alone from the batch's own actor): encoded once. */
  private readonly headers: EncodedHeaders;

  /** `actor`: the batch's `Cox-Actor` (a command of another sender says its own). */
  constructor(
    private readonly nc: NatsConnection,
    readonly route: BatchRoute,
    readonly actor: string,
    private readonly timeoutMs: number,
  ) {
    this.headers = senderHeaders(actor, false, timeoutMs);
  }

  /** Sends the command with the others of this turn; resolves with its own reply. */
  add(p: Omit<Pending, "resolve">): Promise<CommandReply> {
    return new Promise((resolve) => {
      if (this.pending.push({ ...p, resolve }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    let group: Pending[] = [];
    let bytes = ENVELOPE_BYTES;
    for (const p of all) {
      const size = Buffer.byteLength(p.item) + 1;
      if (group.length === MAX_BATCH_COMMANDS || (group.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
        void this.sendGroup(group);
        group = [];
        bytes = ENVELOPE_BYTES;
      }
      group.push(p);
      bytes += size;
    }
    if (group.length > 0) void this.sendGroup(group);
  }

  private async sendGroup(group: Pending[]): Promise<void> {
    const [only] = group;
    if (group.length === 1 && only) {
      const h = only.actor === this.actor ? this.headers : senderHeaders(only.actor, false, this.timeoutMs);
      only.resolve(await askActors(this.nc, only.subject, JSON.stringify(only.body), this.timeoutMs, h).then((r) => CommandReply.parse(r), (err: unknown) => unanswered(err, only.what)));
      return;
    }
    try {
      const body = `{"commands":[${group.map((p) => p.item).join(",")}]}`;
      const reply = BatchReply.parse(await askActors(this.nc, this.route.subject, body, this.timeoutMs, this.headers));
      group.forEach((p, i) => p.resolve("replies" in reply ? (reply.replies[i] ?? unanswered(new Error("the batch's reply left it out"), p.what)) : reply));
    } catch (err) {
      for (const p of group) p.resolve(unanswered(err, p.what));
    }
  }
}

/** A CommandSender that sends a turn's commands in `batches` (its own tree's, or the ones its process's agents share). */
export class BatchingCommandSender implements CommandSender {
  constructor(
    private readonly prefix: string,
    private readonly actor: string,
    private readonly channel: CommandChannel,
    private readonly batches: CommandBatches,
  ) {}

  /** A sender with batches of its own, on its channel's tree (`cox.ctl.batch`, `cox.node.<node>.batch`). */
  static onOwnTree(nc: NatsConnection, prefix: string, actor: string, timeoutMs: number, channel: CommandChannel): BatchingCommandSender {
    return new BatchingCommandSender(prefix, actor, channel, new CommandBatches(nc, batchOn(commandTree(prefix, channel)), actor, timeoutMs));
  }

  send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply> {
    const body = commandBody(command);
    const subject = commandSubject(this.prefix, ref, this.channel);
    const own = this.actor === this.batches.actor ? {} : { actor: this.actor };
    const item = JSON.stringify({ subject: subject.slice(this.batches.route.tree.length + 1), ...own, ...body });
    return this.batches.add({ subject, body, item, actor: this.actor, what: `${command.type} for ${ref.resource}/${ref.name}` });
  }
}
