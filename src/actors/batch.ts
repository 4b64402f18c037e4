/**
 * Command batches: many commands to many entities in one message, for the senders that send thousands (the
 * controllers, the node agents). A batch goes on its role's tree, `<prefix>.cmd.batch`, `<prefix>.ctl.batch` or
 * `<prefix>.node.<node>.batch`, so nats-server's permissions and the role the host infers are those of the tree;
 * each command in it names its entity as the rest of a command subject (`<kind>.<ns>.<name>`) and is admitted,
 * authorized and run exactly as if it had come alone on `<tree>.<kind>.<ns>.<name>`. The agents of one process
 * share `<prefix>.node._.batch` (ANY_NODE), whose commands name their node too. The reply lists each command's
 * reply in order. Pure.
 */
import { z } from "zod";
import { DEFAULT_MAX_BODY_BYTES } from "../api/commandBody.js";
import { isDnsLabel } from "../api/names.js";
import { invalidFromZod, StatusError } from "../api/status.js";
import { parseJson } from "./door.js";

/** The last token of a batch subject. */
export const BATCH_TOKEN = "batch";
/** Most commands in one batch. */
export const MAX_BATCH_COMMANDS = 64;
/** Most bytes in one batch: the limit of one command, so that no command in it can be over its own. */
export const MAX_BATCH_BYTES = DEFAULT_MAX_BODY_BYTES;

/**
 * The node token of the batch subject shared by the agents of one process, `<prefix>.node._.batch`: each of its
 * commands names its node first (`<node>.<kind>.<ns>.<name>`). Only a user that may publish for every node (the
 * shared node user, admin, system) may publish there; `_` is no DNS label, so no node has that name.
 */
export const ANY_NODE = "_";

const BatchBody = z.strictObject({
  commands: z.array(z.looseObject({ subject: z.string().min(1), actor: z.string().min(1).max(256).optional() })).min(1).max(MAX_BATCH_COMMANDS),
});

/**
 * One command of a batch: the subject it stands for, its body (the command's fields, without `subject` and `actor`),
 * and who sent it when it says so itself (in place of the batch's `Cox-Actor`).
 */
export interface BatchItem {
  subject: string;
  body: Record<string, unknown>;
  actor?: string;
}

/**
 * What the subjects of a batch's commands are appended to (`<prefix>.ctl`, `<prefix>.node.<node>`, `<prefix>.node` for
 * `<prefix>.node._.batch`), or null when `subject` is no batch subject. Pure.
 */
export function batchTree(prefix: string, subject: string): string | null {
  const tail = `.${BATCH_TOKEN}`;
  if (!subject.startsWith(`${prefix}.`) || !subject.endsWith(tail)) return null;
  const tree = subject.slice(0, -tail.length);
  const rest = tree.slice(prefix.length + 1).split(".");
  if (rest.length === 1 && (rest[0] === "cmd" || rest[0] === "ctl")) return tree;
  if (rest.length === 2 && rest[0] === "node" && rest[1] === ANY_NODE) return `${prefix}.node`;
  if (rest.length === 2 && rest[0] === "node" && isDnsLabel(rest[1] ?? "")) return tree;
  return null;
}

/** Where a batch goes (`subject`) and what its commands' subjects are relative to (`tree`, as batchTree reads it). */
export interface BatchRoute {
  subject: string;
  tree: string;
}

/** The batch of one command tree (`<prefix>.ctl`, `<prefix>.node.<node>`, …): `<tree>.batch`. Pure. */
export function batchOn(tree: string): BatchRoute {
  return { subject: `${tree}.${BATCH_TOKEN}`, tree };
}

/** The batch the agents of one process share: `<prefix>.node._.batch`, its commands' subjects starting with their node. Pure. */
export function agentsBatch(prefix: string): BatchRoute {
  return { subject: `${prefix}.node.${ANY_NODE}.${BATCH_TOKEN}`, tree: `${prefix}.node` };
}

/**
 * The commands of a batch on `tree`, each with the full subject it stands for. Throws a Status naming what is wrong
 * with the batch itself: TooLarge, BadRequest (not a JSON object), Invalid (`commands`, `commands[i].subject`).
 */
export function parseBatch(tree: string, payload: Uint8Array): BatchItem[] {
  if (payload.length > MAX_BATCH_BYTES) {
    throw new StatusError("TooLarge", `the batch is ${payload.length} bytes; the limit is ${MAX_BATCH_BYTES}`);
  }
  const parsed = BatchBody.safeParse(parseJson(payload));
  if (!parsed.success) throw invalidFromZod(parsed.error, { kind: "batch" });
  return parsed.data.commands.map(({ subject, actor, ...body }) => ({ subject: `${tree}.${subject}`, body, ...(actor === undefined ? {} : { actor }) }));
}
