/** The command body of PROTOCOL.md §1, before its `data` is read by the command's own schema. */
import { z } from "zod";

/** Command ids become part of Nats-Msg-Id; keep them printable and bounded. */
export const CommandId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/@+=-]+$/, "must be 1-128 characters of A-Z a-z 0-9 . _ : / @ + = -");

/** The outer shape of every command. Unknown fields are refused. */
export const CommandBody = z.strictObject({
  apiVersion: z.string(),
  type: z.string(),
  id: CommandId.optional(),
  expectedVersion: z.number().int().nonnegative().optional(),
  term: z.number().int().nonnegative().optional(),
  data: z.unknown().optional(),
});
export type CommandBody = z.infer<typeof CommandBody>;

/** Default size limit of a command or read body, in bytes. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
