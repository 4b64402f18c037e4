/**
 * Creates and updates through the gateway: POST and PUT become the kind's typed commands (from the kinds registry),
 * sent by the caller's own CommandSender (src/gateway/commands.ts), after the body is read as Kubernetes does.
 */
import { untypedCommand } from "../nats/commandClient.js";
import { randomBytes } from "node:crypto";
import type { ApiVersion } from "../api/codec.js";
import { CLUSTER_NS, RESOURCE_INFO, type EntityRef, type Resource } from "../api/kinds.js";
import { codecFor } from "../api/codecs.js";
import { commandOf } from "../api/manifestCommands.js";
import { StatusError } from "../api/status.js";
import { ALL_NAMESPACES } from "../projections/readService.js";
import { currentObject, preconditions, send, storedObject, type WriteContext, type WriteResult } from "./commands.js";
import { checkManifest, withoutServerFields } from "./manifest.js";
import { dryRunObject } from "./dryRun.js";
import { recordWrite } from "./managedFields.js";
import { toggle } from "./toggles.js";
import type { ResourceRoute } from "./routes.js";

/** The metadata fields a write looks at. */
export type Meta = { name?: unknown; generateName?: unknown; namespace?: unknown; resourceVersion?: unknown; uid?: unknown };

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

/** POST to a collection: Create<Kind>; `record` adds the writer's managedFields entry (a patch has done so already). */
export async function createObject(ctx: WriteContext, route: ResourceRoute, body: unknown, record = true): Promise<WriteResult> {
  let object = requireObject(body);
  checkKind(route, object);
  const meta = metaOf(object, route.version);
  const ns = namespaceFor(route, meta);
  let name = meta.name;
  if (name !== undefined && typeof name !== "string") {
    // As the apiserver's decoder refuses it (400), naming the field, rather than as a name left out.
    const [kind, field] = [RESOURCE_INFO[route.resource].kind, route.version === "v1" ? "metadata.name" : "id"];
    throw new StatusError("BadRequest", `${kind} in version "${route.version}" cannot be handled as a ${kind}: ${field} must be a string, not ${name === null ? "null" : typeof name}`, {
      kind: route.resource, causes: [{ field, message: "must be a string" }],
    });
  }
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
  const checked = checkManifest(route.resource, route.version, withoutServerFields(object, route.version, route.resource), { namespace: ns, name }, ctx.fieldValidation);
  ctx.warnings.push(...checked.warnings);
  if (ctx.dryRun) return { code: 201, body: dryRunObject(ctx.service.runner.model, route, ref, checked.body, "create") };
  return send(ctx, ref, untypedCommand({ type: commandOf(route.resource, "create"), data: checked.body, apiVersion: route.version }), 201);
}

/**
 * A PUT replaces the object's finalizers as it does every field, so a body without them takes them away; the update
 * command keeps finalizers it is not given (controllers replace objects from their own fields), so the body states them.
 */
function statedFinalizers(resource: Resource, body: Record<string, unknown>): void {
  const meta = body.metadata as Record<string, unknown> | undefined;
  if (codecFor(resource).finalizers && meta && typeof meta === "object" && meta.finalizers === undefined) meta.finalizers = [];
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
  const manifest = withoutServerFields(object, route.version, route.resource, storedObject(ctx.service, ref));
  const checked = checkManifest(route.resource, route.version, manifest, { namespace: ns, name }, ctx.fieldValidation);
  ctx.warnings.push(...checked.warnings);
  statedFinalizers(route.resource, checked.body);
  if (ctx.dryRun) return { code: 200, body: dryRunObject(ctx.service.runner.model, route, ref, checked.body, "update") };
  return send(ctx, ref, untypedCommand({ type, data: checked.body, apiVersion: route.version, expectedVersion }), 200);
}
