/** Sending one command: a generated id unless given, the reply as a result or a CoxswainStatusError, bounded retries. */
import { randomUUID } from "node:crypto";
import type { CommandSender, KindRef, OutgoingCommand } from "../nats/commandClient.js";
import type { CommandResult, SendOptions } from "./commandMethods.js";
import { CoxswainStatusError } from "./statusError.js";
import type { CommandInput, CommandType, KindName } from "./types.js";

/** How failed sends are retried: only `Unavailable` and `Timeout`, always with the same command id (so at most once). */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 4; 1 turns retries off). */
  attempts?: number;
  /** The first pause between attempts in ms, doubled each time up to 2 s (default 100). */
  backoffMs?: number;
  /** Told of each failure that will be retried (for logs). */
  onRetry?: (err: CoxswainStatusError, attempt: number) => void;
}

/** A fresh command id: `lib-<uuid>`. */
export function newCommandId(): string {
  return `lib-${randomUUID()}`;
}

/**
 * Sends `type` with `data` to the entity `ref` and returns its result, or throws the refusal as a CoxswainStatusError.
 * A transport failure (no actor host answers, a timeout) is sent again with the same id, at most `attempts` times:
 * the id makes the repeat harmless, so a command is never applied twice.
 */
export async function sendCommand<R extends KindName, T extends CommandType<R>>(
  sender: CommandSender, ref: KindRef<R>, type: T, data: CommandInput<R, T>, options: SendOptions = {}, retry: RetryPolicy = {},
): Promise<CommandResult<R>> {
  const id = options.id ?? newCommandId();
  // The pair (type, data) is one of R's commands; TypeScript cannot see that through the generic mapped type.
  const body = { type, data, id, ...pick(options) } as OutgoingCommand<R>;
  const attempts = Math.max(1, retry.attempts ?? 4);
  let pause = retry.backoffMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    const reply = await sender.send(ref, body);
    if (reply.ok) return { object: reply.object, version: reply.version, resourceVersion: reply.resourceVersion, events: reply.events, id } as CommandResult<R>;
    const err = CoxswainStatusError.fromStatus(reply.status);
    if (!err.retryable || attempt >= attempts) throw err;
    retry.onRetry?.(err, attempt);
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 2_000);
  }
}

function pick(o: SendOptions): { expectedVersion?: number; term?: number } {
  return {
    ...(o.expectedVersion !== undefined ? { expectedVersion: o.expectedVersion } : {}),
    ...(o.term !== undefined ? { term: o.term } : {}),
  };
}
