/** The two reply shapes of a command (PROTOCOL.md §1). */
import { z } from "zod";
import { Status, type StatusError } from "./status.js";

/** A successful command: the object after it (in the request's apiVersion), its version and resourceVersion. */
export const OkReply = z.object({
  ok: z.literal(true),
  object: z.record(z.string(), z.unknown()).nullable(),
  version: z.number().int(),
  resourceVersion: z.string(),
  events: z.array(z.string()),
});
export type OkReply = z.infer<typeof OkReply>;

/** A rejected command: the Status. */
export const FailReply = z.object({ ok: z.literal(false), status: Status });
export type FailReply = z.infer<typeof FailReply>;

/**
 * The request header by which a sender that does not use the object (a controller, a node agent) asks for a reply
 * without it: `object` is then null, and the host neither renders nor reads history for it.
 */
export const REPLY_HEADER = "Cox-Reply";
export const STATUS_ONLY = "status";

/**
 * The request header by which a sender says how long it waits for the reply, in milliseconds (`Cox-Timeout: 10000`;
 * gRPC's `grpc-timeout`, or the request deadline Kubernetes' priority and fairness drops a queued request at). A
 * command still waiting for its turn at the host that long after it arrived is not run: nothing is appended, and the
 * reply, which no one may read by then, is Timeout.
 */
export const TIMEOUT_HEADER = "Cox-Timeout";

/** The longest wait a sender may announce in `Cox-Timeout`: a day, in milliseconds. */
export const MAX_TIMEOUT_MS = 86_400_000;

/** Either reply. */
export const CommandReply = z.discriminatedUnion("ok", [OkReply, FailReply]);
export type CommandReply = z.infer<typeof CommandReply>;

/** The wire form of a rejection. Pure. */
export function failReply(err: StatusError): FailReply {
  return { ok: false, status: err.toStatus() };
}
