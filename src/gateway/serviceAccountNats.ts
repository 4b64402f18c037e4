/**
 * The service-account door on NATS: the same RBAC decision as over HTTPS for a pod that talks NATS. A request on
 * `<p>.sa.api.<kind>.<ns>.get|list` (a read, body as on `<p>.api.…`) or `<p>.sa.cmd.<kind>.<ns>.<name>` (a command,
 * body as on `<p>.cmd.…`) carries the account's token in the header `Authorization: Bearer <token>`; the API
 * process maps it to Kubernetes' attributes (verb, resource, group, namespace, name), asks RBAC, and then answers
 * the read from its read model or sends the command on the users' tree. A missing or foreign token is 401, a
 * refusal 403 in the apiserver's words; nothing is sent for a refused command. Pods reach it as the shared NATS
 * user `serviceaccount`, which may publish nowhere else (src/auth/roles.ts).
 * Limit (docs/architecture.md): that user is shared, so a pod could read another's replies on the shared inbox.
 */
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { CLUSTER_NS, isResource, RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { failReply, TIMEOUT_HEADER } from "../api/reply.js";
import { timeoutOf } from "../actors/door.js";
import { StatusError, toStatusError } from "../api/status.js";
import { bearerToken } from "../auth/tokens.js";
import { nameFromToken } from "../events/subjects.js";
import type { Logger } from "../log.js";
import { respondSafely } from "../nats/respond.js";
import type { OutgoingCommand } from "../nats/commandClient.js";
import { GetRequest, ListRequest, parseReadBody, readTarget, type ReadService } from "../projections/readService.js";
import { ALL_NAMESPACES } from "../auth/authorize.js";
import { senderWithin, type RequestedAccess } from "./caller.js";
import type { ServiceAccountAuthority } from "./serviceAccounts.js";
import { MAX_REQUEST_TIMEOUT_MS } from "./requestTimeout.js";

/** What a door request asks: a read or a command, on which entity. */
export type DoorRequest =
  | { type: "read"; resource: Resource; namespace: string; verb: "get" | "list" }
  | { type: "command"; resource: Resource; namespace: string; name: string };

/** The request a subject names under `<prefix>.sa.`; BadRequest for any other shape. Pure. */
export function doorRequestOf(prefix: string, subject: string): DoorRequest {
  const parts = subject.slice(`${prefix}.sa.`.length).split(".");
  const [channel, kind = "", ns = "", last = ""] = parts;
  if (parts.length !== 4 || !isResource(kind) || (channel !== "api" && channel !== "cmd")) {
    throw new StatusError("BadRequest", `service-account subjects are ${prefix}.sa.api.<kind>.<ns>.get|list and ${prefix}.sa.cmd.<kind>.<ns>.<name>, not ${subject}`);
  }
  if (channel === "cmd") return { type: "command", resource: kind, namespace: ns, name: nameFromToken(last) };
  if (last !== "get" && last !== "list") throw new StatusError("BadRequest", `reads at the service-account door are get and list (watch over HTTPS), not ${last}`);
  return { type: "read", resource: kind, namespace: ns, verb: last };
}

/** The verb of a command type, as RBAC names it: Create… create, Delete… delete, anything else update. Pure. */
export function commandVerb(type: string): RequestedAccess["verb"] {
  return type.startsWith("Create") ? "create" : type.startsWith("Delete") ? "delete" : "update";
}

/** Kubernetes' attributes of a door request (`name`: a get's or a command's object). Pure. */
export function doorAttributes(req: DoorRequest, verb: RequestedAccess["verb"], name: string | undefined): RequestedAccess {
  const info = RESOURCE_INFO[req.resource];
  const everywhere = info.clusterScoped || req.namespace === ALL_NAMESPACES || req.namespace === CLUSTER_NS;
  return { verb, resource: req.resource, apiGroup: info.group, ...(everywhere ? {} : { namespace: req.namespace }), ...(name ? { name } : {}) };
}

/**
 * How long a command through the door waits for its reply: what the pod said it waits (`Cox-Timeout`, read as the
 * actor host reads it: BadRequest when it is no whole number of ms), at most a minute as over HTTPS; undefined
 * without the header (the API's own 10 s). Pure.
 */
export function callerWait(value: string | undefined): number | undefined {
  const ms = timeoutOf(value);
  return ms === undefined ? undefined : Math.min(ms, MAX_REQUEST_TIMEOUT_MS);
}

/** Serves the door on `nc` in the queue group `cox-sa`. */
export function startServiceAccountNats(nc: NatsConnection, prefix: string, service: ReadService, authority: ServiceAccountAuthority, log: Logger): Subscription {
  return nc.subscribe(`${prefix}.sa.>`, {
    queue: "cox-sa",
    callback: (err, msg) => {
      if (err) return void log.error({ err }, "service-account door subscription failed");
      void answer(msg, prefix, service, authority).catch((e: unknown) => toStatusError(e)).then((reply) => respondSafely(msg, reply instanceof StatusError ? failReply(reply) : reply, log));
    },
  });
}

async function answer(msg: Msg, prefix: string, service: ReadService, authority: ServiceAccountAuthority): Promise<unknown> {
  const token = bearerToken(msg.headers?.get("Authorization") || undefined);
  const caller = token ? authority.callerOfToken(token) : null;
  if (!caller) throw new StatusError("Unauthorized", "Unauthorized: send a service account's token as the header Authorization: Bearer <token>");
  const req = doorRequestOf(prefix, msg.subject);
  if (req.type === "read") {
    const target = readTarget(req.resource, req.namespace, req.verb);
    if (req.verb === "get") {
      const body = parseReadBody(GetRequest, msg.data);
      caller.authorize(doorAttributes(req, "get", body.name));
      return { ok: true, object: await service.get(target, body) };
    }
    const body = parseReadBody(ListRequest, msg.data);
    caller.authorize(doorAttributes(req, "list", undefined));
    return { ok: true, ...service.list(target, body) };
  }
  const command = parseCommand(msg.data);
  const wait = callerWait(msg.headers?.get(TIMEOUT_HEADER) || undefined);
  const attrs = doorAttributes(req, commandVerb(command.type), req.name);
  caller.authorize(attrs);
  return senderWithin(caller.sender(attrs), wait).send({ resource: req.resource, namespace: req.namespace, name: req.name }, command);
}

function parseCommand(data: Uint8Array): OutgoingCommand {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new StatusError("BadRequest", "the command is not JSON");
  }
  if (typeof body !== "object" || body === null || typeof (body as { type?: unknown }).type !== "string") {
    throw new StatusError("BadRequest", "the command needs a type", { causes: [{ field: "type", message: "Required" }] });
  }
  return body as OutgoingCommand;
}
