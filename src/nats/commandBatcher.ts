/**
 * Sending many commands in batches (src/actors/batch.ts), for the senders that send thousands (the controllers, the
 * node agents): the commands sent in one turn of the event loop go as batches of at most MAX_BATCH_COMMANDS commands
 * and MAX_BATCH_BYTES, one request and one reply for each instead of one per command. A command alone goes alone,
 * as NatsCommandSender sends it. Each command keeps its own reply and its id, so that a batch sent again is harmless.
 */
import { z } from "zod";
import type { NatsConnection } from "@nats-io/transport-node";
import { CommandReply } from "../api/reply.js";
import type { Resource } from "../api/kinds.js";
import type { KindRef, OutgoingCommand } from "../actors/kindCommands.js";
import { ANY_NODE, BATCH_TOKEN, MAX_BATCH_BYTES, MAX_BATCH_COMMANDS } from "../actors/batch.js";
import { commandSubject, commandTree, type CommandChannel } from "../events/subjects.js";
import { askActors, commandBody, senderHeaders, unanswered, type CommandSender } from "./commandClient.js";

/** A batch's reply: each command's, in order; or the refusal of the whole batch. */
const BatchReply = z.union([z.object({ replies: z.array(CommandReply) }), CommandReply]);

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

/** The commands of one batch subject that wait for the end of the turn, and the flush that sends them. */
export class CommandBatches {
  private pending: Pending[] = [];

  /** `subject`: the batch subject; `actor`: the batch's `Cox-Actor` (a command of another sender says its own). */
  constructor(
    private readonly nc: NatsConnection,
    readonly subject: string,
    readonly actor: string,
    private readonly timeoutMs: number,
    private readonly replyObject = false,
  ) {}

  /** Sends `body` with the others of this turn; resolves with its own reply. */
  add(p: Omit<Pending, "resolve">): Promise<CommandReply> {
    return new Promise((resolve) => {
      if (this.pending.push({ ...p, resolve }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    let group: Pending[] = [];
    let bytes = 0;
    for (const p of all) {
      if (group.length === MAX_BATCH_COMMANDS || (group.length > 0 && bytes + p.item.length + 1 > MAX_BATCH_BYTES - 64)) {
        void this.sendGroup(group);
        group = [];
        bytes = 0;
      }
      group.push(p);
      bytes += p.item.length + 1;
    }
    if (group.length > 0) void this.sendGroup(group);
  }

  private async sendGroup(group: Pending[]): Promise<void> {
    const [only] = group;
    if (group.length === 1 && only) {
      const h = senderHeaders(only.actor, this.replyObject);
      only.resolve(await askActors(this.nc, only.subject, JSON.stringify(only.body), this.timeoutMs, h).then((r) => CommandReply.parse(r), (err: unknown) => unanswered(err, only.what)));
      return;
    }
    try {
      const body = `{"commands":[${group.map((p) => p.item).join(",")}]}`;
      const reply = BatchReply.parse(await askActors(this.nc, this.subject, body, this.timeoutMs, senderHeaders(this.actor, this.replyObject)));
      group.forEach((p, i) => p.resolve("replies" in reply ? (reply.replies[i] ?? unanswered(new Error("the batch's reply left it out"), p.what)) : reply));
    } catch (err) {
      for (const p of group) p.resolve(unanswered(err, p.what));
    }
  }
}

/** The batch subject the agents of one process share (`<prefix>.node._.batch`; each command then names its node). Pure. */
export function sharedNodeBatchSubject(prefix: string): string {
  return `${prefix}.node.${ANY_NODE}.${BATCH_TOKEN}`;
}

/** A CommandSender that sends a turn's commands in batches: on its channel's tree, or in `shared` (a node agent's). */
export class BatchingCommandSender implements CommandSender {
  private readonly batches: CommandBatches;
  /** What the subjects of this sender's commands start with in a batch: its node's name in the agents' shared batch. */
  private readonly lead: string;

  constructor(
    nc: NatsConnection,
    private readonly prefix: string,
    private readonly actor: string,
    timeoutMs: number,
    private readonly channel: CommandChannel,
    shared?: CommandBatches,
  ) {
    this.batches = shared ?? new CommandBatches(nc, `${commandTree(prefix, channel)}.${BATCH_TOKEN}`, actor, timeoutMs);
    this.lead = channel.role === "node" && this.batches.subject === sharedNodeBatchSubject(prefix) ? `${channel.node}.` : "";
  }

  send<R extends Resource>(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply> {
    const body = commandBody(command);
    const own = this.actor === this.batches.actor ? {} : { actor: this.actor };
    const item = JSON.stringify({ subject: `${this.lead}${ref.resource}.${ref.namespace}.${ref.name}`, ...own, ...body });
    return this.batches.add({ subject: commandSubject(this.prefix, ref, this.channel), body, item, actor: this.actor, what: `${command.type} for ${ref.resource}/${ref.name}` });
  }
}
