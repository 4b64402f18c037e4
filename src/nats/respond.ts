/** Answering a request so that no reply failure (over max_payload, a closed connection) can end the process. */
import type { Msg } from "@nats-io/transport-node";
import { failReply } from "../api/reply.js";
import { StatusError } from "../api/status.js";
import type { Logger } from "../log.js";

/**
 * Responds `body` (as JSON) to `msg`. When the connection refuses the reply (larger than the server's max_payload,
 * or closed), it logs that and answers a TooLarge/Internal Status instead; it never throws.
 */
export function respondSafely(msg: Msg, body: unknown, log: Logger): void {
  if (!msg.reply) return;
  try {
    msg.respond(JSON.stringify(body));
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    log.warn({ err: message, subject: msg.subject }, "reply not sent");
    try {
      msg.respond(JSON.stringify(failReply(new StatusError(/max_payload/i.test(message) ? "TooLarge" : "Internal", `the reply could not be sent: ${message}`))));
    } catch {
      // the connection is gone: the requester sees its timeout
    }
  }
}
