/**
 * The plumbing every gateway write shares: the caller's context, sending a command and waiting until the read model
 * shows it (read-after-write), the object as it stands, and the `metadata.resourceVersion` / `uid` preconditions,
 * carried to the actor as `expectedVersion` so that a stale write is a 409 Conflict decided where the entity lives.
 */
import { type EntityRef } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import type { CommandSender, OutgoingCommand } from "../nats/commandClient.js";
import type { ReadService } from "../projections/readService.js";
import type { FieldValidation } from "./manifest.js";
import { present } from "./present.js";

/** What a write needs: the read model, the caller's sender, and how long to wait for read-after-write. */
export interface WriteContext {
  service: ReadService;
  sender: CommandSender;
  fieldValidation: FieldValidation;
  dryRun: boolean;
  /** The command id (the `Idempotency-Key` header), when the client gave one. */
  id?: string | undefined;
  /** Who is writing, for managedFields (`?fieldManager=`, else from the User-Agent). */
  fieldManager: string;
  warnings: string[];
}

/** The answer of a write: an HTTP code and a body. */
export interface WriteResult {
  code: number;
  body: Record<string, unknown>;
}

/** The metadata fields a precondition looks at. */
type PreconditionMeta = { resourceVersion?: unknown; uid?: unknown };

/**
 * The entity version an update must find, from the body's resourceVersion (and a uid check); undefined when the
 * body gives none. NotFound when the object does not exist; Conflict when the body is stale.
 */
export async function preconditions(service: ReadService, ref: EntityRef, meta: PreconditionMeta): Promise<number | undefined> {
  const rv = typeof meta.resourceVersion === "number" ? String(meta.resourceVersion) : meta.resourceVersion;
  if (typeof rv === "string" && /^\d+$/.test(rv)) await service.runner.waitFor(Number(rv), 5_000);
  const found = service.runner.model.get(ref.resource, ref.namespace, ref.name);
  if (!found) throw new StatusError("NotFound", `${ref.resource} "${ref.name}" not found`, { kind: ref.resource, name: ref.name });
  const uid = (found.object.metadata as { uid?: string }).uid;
  if (typeof meta.uid === "string" && meta.uid !== "" && meta.uid !== uid) {
    throw new StatusError("Conflict", `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${uid ?? ""}`, { kind: ref.resource, name: ref.name });
  }
  if (rv === undefined || rv === "") return undefined;
  if (String(found.doc.sequence) !== rv) throw staleError(ref);
  // A derived document's version is its own (an Event's count), not its actor's: the sequence alone is checked.
  return service.runner.model.isDerived(ref.resource) ? undefined : found.doc.version;
}

/** Kubernetes' words for a write on a stale resourceVersion. */
export function staleError(ref: EntityRef): StatusError {
  return new StatusError("Conflict", `Operation cannot be fulfilled on ${ref.resource} "${ref.name}": the object has been modified; please apply your changes to the latest version and try again`, {
    kind: ref.resource, name: ref.name,
  });
}

/** Sends a command; a rejection becomes its Status error, a success waits for the read model to show it. */
export async function send(ctx: WriteContext, ref: EntityRef, command: OutgoingCommand, code: number): Promise<WriteResult> {
  const reply = await ctx.sender.send(ref, { ...command, ...(ctx.id !== undefined ? { id: ctx.id } : {}) });
  if (!reply.ok) throw new StatusError(reply.status.reason as never, reply.status.message, reply.status.details ?? {});
  await ctx.service.runner.waitFor(Number(reply.resourceVersion), 5_000);
  return { code, body: present(ctx.service.runner.model, reply.object ?? {}) };
}

/** The object as it stands, in v1 as clients see it (managedFields shown); undefined when it does not exist. */
export function currentObject(service: ReadService, ref: EntityRef): Record<string, unknown> | undefined {
  const rendered = storedObject(service, ref);
  return rendered ? present(service.runner.model, rendered) : undefined;
}

/** The v1 object at `ref` as it is stored (rendered, not presented), if it exists. */
export function storedObject(service: ReadService, ref: EntityRef): Record<string, unknown> | undefined {
  const model = service.runner.model;
  const found = model.get(ref.resource, ref.namespace, ref.name);
  return found ? model.kinds[ref.resource]?.codec.render("v1", found.object) as Record<string, unknown> | undefined : undefined;
}
