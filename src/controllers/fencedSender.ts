/** A CommandSender that stamps the leader's term on every command and refuses, locally, once this term is over. */
import type { EntityRef } from "../api/kinds.js";
import type { CommandReply } from "../api/reply.js";
import type { CommandSender, OutgoingCommand } from "../nats/commandClient.js";

/** Thrown instead of sending once the term is over: it aborts the round, as nothing more may be sent in this term. */
export class TermOverError extends Error {
  override name = "TermOverError";
}

/**
 * Sends through `inner` with `term`. `stillLeading` is asked before each send; when it says no, the send throws
 * TermOverError (the actor host would refuse the command with StaleTerm once a successor has its term anyway).
 */
export class FencedSender implements CommandSender {
  constructor(
    private readonly inner: CommandSender,
    readonly term: number,
    private readonly stillLeading: () => boolean,
  ) {}

  async send(ref: EntityRef, command: OutgoingCommand): Promise<CommandReply> {
    if (!this.stillLeading()) throw new TermOverError(`term ${this.term} is over: ${command.type} for ${ref.resource}/${ref.name} not sent`);
    return this.inner.send(ref, { ...command, term: this.term });
  }
}

/** The stream sequence a successful reply names (0 when it is not a number). Pure. */
export function replySequence(reply: CommandReply): number {
  if (!reply.ok) return 0;
  const n = Number(reply.resourceVersion);
  return Number.isFinite(n) ? n : 0;
}
