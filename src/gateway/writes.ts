/**
 * Writes through the gateway: each REST verb becomes the kind's typed command (from the kinds registry), sent by
 * the caller's own CommandSender. Preconditions on `metadata.resourceVersion` / `uid` are checked against the read
 * model and carried to the actor as `expectedVersion`, so a stale write is a 409 Conflict decided where the entity
 * lives. A success waits until the read model has applied it, so the caller's next read sees its write.
 */
import { randomBytes } from "node:crypto";
import type { ApiVersion } from "../api/codec.js";
import { CLUSTER_NS, RESOURCE_INFO, type EntityRef, type Resource } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import type { CommandSender, OutgoingCommand } from "../nats/commandClient.js";
import { ALL_NAMESPACES, type ReadService } from "../projections/readService.js";
import { checkManifest, withoutServerFields, type FieldValidation } from "./manifest.js";
import { recordWrite, revealManagedFields } from "./managedFields.js";
import { jsonEqual } from "../api/patch/index.js";
import { present } from "./present.js";
import type { ResourceRoute } from "./routes.js";

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

type Meta = { name?: unknown; generateName?: unknown; namespace?: unknown; resourceVersion?: unknown; uid?: unknown };

/** The body as an object, or a BadRequest. Pure. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new StatusError("BadRequest", "the request body must be a JSON or YAML object");
  return body as Record<string, unknown>;
}

function metaOf(object: Record<string, unknown>, version: ApiVersion): Meta {
  if (version === "v1beta1") return { name: object.id, namespace: object.namespace, resourceVersion: object.resourceVersion, uid: object.uid };
  return (object.metadata && typeof object.metadata === "object" ? object.metadata : {}) as Meta;
}

/** The namespace token an object goes to: the path's, else the body's, else `default`; they must agree. */
function namespaceFor(route: ResourceRoute, meta: Meta): string {
  if (RESOURCE_INFO[route.resource].clusterScoped) return CLUSTER_NS;
  const fromBody = typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : undefined;
  if (route.namespace === ALL_NAMESPACES || !route.namespaceInPath) return fromBody ?? (route.namespace === ALL_NAMESPACES ? "default" : route.namespace);
  if (fromBody !== undefined && fromBody !== route.namespace) {
    throw new StatusError("BadRequest", "the namespace of the provided object does not match the namespace sent on the request", {
      causes: [{ field: "metadata.namespace", message: `must equal "${route.namespace}"` }],
    });
  }
  return route.namespace;
}

function checkKind(route: ResourceRoute, object: Record<string, unknown>): void {
  const kind = RESOURCE_INFO[route.resource].kind;
  if (object.kind !== undefined && object.kind !== kind) {
    throw new StatusError("BadRequest", `the kind of the body ("${String(object.kind)}") does not match the path (${kind})`, { causes: [{ field: "kind", message: `must be ${kind}` }] });
  }
}

function commandOf(resource: Resource, verb: "create" | "update" | "delete" | "scale"): string {
  const type = RESOURCE_INFO[resource].commands[verb];
  if (!type) throw new StatusError("MethodNotAllowed", `${verb} is not supported on ${resource}`, { kind: resource });
  return type;
}

/** POST to a collection: Create<Kind>; `record` adds the writer's managedFields entry (a patch has done so already). */
export async function createObject(ctx: WriteContext, route: ResourceRoute, body: unknown, record = true): Promise<WriteResult> {
  let object = requireObject(body);
  checkKind(route, object);
  const meta = metaOf(object, route.version);
  const ns = namespaceFor(route, meta);
  let name = meta.name;
  if ((name === undefined || name === "") && typeof meta.generateName === "string" && route.version === "v1") {
    name = `${meta.generateName}${randomBytes(3).toString("hex").slice(0, 5)}`;
    (object.metadata as Record<string, unknown>).name = name;
    delete (object.metadata as Record<string, unknown>).generateName;
  }
  if (typeof name !== "string" || name === "") {
    throw new StatusError("Invalid", `${RESOURCE_INFO[route.resource].kind} "" is invalid: metadata.name: Required value: name or generateName is required`, {
      kind: route.resource, name: "", causes: [{ field: route.version === "v1" ? "data.metadata.name" : "data.id", message: "Required value: name or generateName is required" }],
    });
  }
  const ref: EntityRef = { resource: route.resource, namespace: ns, name };
  if (record && route.version === "v1") object = recordWrite(undefined, { apiVersion: "v1", kind: RESOURCE_INFO[route.resource].kind, ...object }, ctx.fieldManager);
  const checked = checkManifest(route.resource, route.version, withoutServerFields(object, route.version), { namespace: ns, name }, ctx.fieldValidation);
  ctx.warnings.push(...checked.warnings);
  if (ctx.dryRun) return { code: 201, body: revealManagedFields(preview(route, checked.body, ns)) };
  return send(ctx, ref, { type: commandOf(route.resource, "create"), data: checked.body, apiVersion: route.version }, 201);
}

/** PUT to an object: Update<Kind>, guarded by the body's resourceVersion and uid when it has them. */
export async function updateObject(ctx: WriteContext, route: ResourceRoute, body: unknown, record = true): Promise<WriteResult> {
  let object = requireObject(body);
  checkKind(route, object);
  const meta = metaOf(object, route.version);
  const name = route.name ?? "";
  if (meta.name !== undefined && meta.name !== name) {
    throw new StatusError("BadRequest", `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`, { causes: [{ field: "metadata.name", message: `must equal "${name}"` }] });
  }
  const ns = namespaceFor(route, meta);
  const ref: EntityRef = { resource: route.resource, namespace: ns, name };
  if (!RESOURCE_INFO[route.resource].commands.update && RESOURCE_INFO[route.resource].toggles) return toggle(ctx, route, ref, object, meta);
  const type = commandOf(route.resource, "update");
  const expectedVersion = await preconditions(ctx.service, ref, meta);
  if (record && route.version === "v1") object = recordWrite(currentObject(ctx.service, ref), { apiVersion: "v1", kind: RESOURCE_INFO[route.resource].kind, ...object }, ctx.fieldManager);
  const checked = checkManifest(route.resource, route.version, withoutServerFields(object, route.version), { namespace: ns, name }, ctx.fieldValidation);
  ctx.warnings.push(...checked.warnings);
  if (ctx.dryRun) return { code: 200, body: revealManagedFields(preview(route, checked.body, ns)) };
  return send(ctx, ref, { type, data: checked.body, apiVersion: route.version, expectedVersion }, 200);
}

/**
 * An update of a kind that only toggles fields (a node's `spec.unschedulable`): the toggle commands of the fields
 * that changed; a change of anything else is Invalid, naming the fields an update may change.
 */
async function toggle(ctx: WriteContext, route: ResourceRoute, ref: EntityRef, object: Record<string, unknown>, meta: Meta): Promise<WriteResult> {
  const expectedVersion = await preconditions(ctx.service, ref, meta);
  const current = currentObject(ctx.service, ref) ?? {};
  const toggles = RESOURCE_INFO[route.resource].toggles ?? [];
  // What else the object says, without the toggled fields and the bookkeeping (managedFields) a patch adds.
  const strip = (o: Record<string, unknown>) => withoutServerFields(withPath(toggles.reduce((x, t) => withPath(x, t.path, undefined), revealManagedFields(o)), "metadata.managedFields", undefined), route.version);
  if (!jsonEqual(strip(current), strip({ ...current, ...object, metadata: { ...(current.metadata as object), ...(object.metadata as object) } }))) {
    const fields = toggles.map((t) => t.path).join(", ");
    throw new StatusError("Invalid", `${RESOURCE_INFO[route.resource].kind} "${ref.name}" is invalid: only ${fields} may change`, {
      kind: route.resource, name: ref.name, causes: [{ field: "<root>", message: `Forbidden: only ${fields} may change` }],
    });
  }
  let result: WriteResult = { code: 200, body: current };
  for (const t of toggles) {
    const wanted = valueAt(object, t.path) === true;
    if (wanted === (valueAt(current, t.path) === true) || ctx.dryRun) continue;
    result = await send(ctx, ref, { type: wanted ? t.on : t.off, data: {}, expectedVersion }, 200);
  }
  return result;
}

function valueAt(o: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((x, k) => (x && typeof x === "object" ? (x as Record<string, unknown>)[k] : undefined), o);
}

function withPath(o: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split(".") as [string, ...string[]];
  const child = (o[head] && typeof o[head] === "object" ? o[head] : {}) as Record<string, unknown>;
  if (rest.length === 0) {
    const { [head]: _old, ...others } = o;
    return value === undefined ? others : { ...others, [head]: value };
  }
  return { ...o, [head]: withPath(child, rest.join("."), value) };
}

/**
 * The entity version an update must find, from the body's resourceVersion (and a uid check); undefined when the
 * body gives none. NotFound when the object does not exist; Conflict when the body is stale.
 */
export async function preconditions(service: ReadService, ref: EntityRef, meta: Meta): Promise<number | undefined> {
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
  return found.doc.version;
}

/** Kubernetes' words for a write on a stale resourceVersion. */
export function staleError(ref: EntityRef): StatusError {
  return new StatusError("Conflict", `Operation cannot be fulfilled on ${ref.resource} "${ref.name}": the object has been modified; please apply your changes to the latest version and try again`, {
    kind: ref.resource, name: ref.name,
  });
}

/** What a dry run answers: the object as it would be created (without what the server would add). */
function preview(route: ResourceRoute, body: Record<string, unknown>, ns: string): Record<string, unknown> {
  if (route.version === "v1beta1" || RESOURCE_INFO[route.resource].clusterScoped) return body;
  return { ...body, apiVersion: "v1", kind: RESOURCE_INFO[route.resource].kind, metadata: { ...(body.metadata as object), namespace: ns } };
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
  const model = service.runner.model;
  const found = model.get(ref.resource, ref.namespace, ref.name);
  const rendered = found ? model.kinds[ref.resource]?.codec.render("v1", found.object) : undefined;
  return rendered ? present(model, rendered) : undefined;
}
