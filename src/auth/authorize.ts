/**
 * The HTTP API's authorization: one decision with the NATS door. A Kubernetes request is mapped to the subject the
 * same user would use on NATS (reads `<p>.api.<kind>.<ns>.<verb>`, writes its role's command tree, logs
 * `<p>.logs.<ns>.<pod>.…`) and checked against that user's permissions from `permissionsFor`, the very lists
 * nats-server enforces. Pure.
 */
import { CLUSTER_NS, RESOURCE_INFO, isResource, type Resource } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import { apiSubject, commandSubject, DEFAULT_PREFIX, nameToken, type CommandChannel } from "../events/subjects.js";
import { permissionsFor } from "./roles.js";
import { permits } from "./subjectMatch.js";
import type { Identity } from "./tokens.js";

/** Kubernetes' verbs of resource requests. */
export const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] as const;
export type Verb = (typeof VERBS)[number];

/** What an HTTP request asks to do. No `namespace` on a namespaced resource means "in every namespace". */
export interface ResourceRequest {
  verb: Verb;
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
  /** The API group, "" (the default) for the core group. */
  apiGroup?: string | undefined;
  /** Whether the kind is cluster-scoped; by default what `RESOURCE_INFO` says, and namespaced for kinds it does not know. */
  clusterScoped?: boolean | undefined;
}

/** The namespace token of reads and writes across every namespace (docs/protocol.md, Reads); never a DNS label. */
export const ALL_NAMESPACES = "_all";

/** Stands for a name not known when authorizing (a create whose name is in the body, a deletecollection): never a DNS label. */
const ANY_NAME = "_";

/** The NATS subject a request stands for, and whether the user would publish on it or subscribe to it. */
export interface SubjectCheck {
  side: "publish" | "subscribe";
  subject: string;
}

/**
 * The channel on which a user's writes travel: users, tenants, the viewer and admin `cmd`, controllers `ctl`, a node's
 * own user `node.<name>`. The shared node user speaks for no one node, so it has none (its HTTP writes are refused). Pure.
 */
export function commandChannelOf(identity: Identity): CommandChannel | null {
  switch (identity.role) {
    case "controller":
      return { role: "controller" };
    case "node":
      return identity.node ? { role: "node", node: identity.node } : null;
    default:
      return { role: "user" };
  }
}

/** The subject that decides a request for this user, or null when the user has no way to make it on NATS. Pure. */
export function subjectOf(identity: Identity, req: ResourceRequest, prefix = DEFAULT_PREFIX): SubjectCheck | null {
  const ns = namespaceToken(req);
  // The subject helpers only join tokens; a resource the kinds registry does not know yet still gets its subject.
  const resource = req.resource as Resource;
  // Logs are followed on `<p>.logs.<ns>.<pod>.<container>` (the node's `logSubject`); any one container decides.
  if (isRead(req.verb) && req.subresource === "log") return { side: "subscribe", subject: `${prefix}.logs.${ns}.${req.name === undefined ? ANY_NAME : nameToken(req.name)}.${ANY_NAME}` };
  // A stream into a pod (its proxy too, whatever the method) is no read of it: it reaches the workload itself.
  if (isRead(req.verb) && !isStream(resource, req.subresource)) return { side: "publish", subject: apiSubject(prefix, resource, ns, req.verb) };
  const channel = commandChannelOf(identity);
  // A TokenRequest sends no command, so no actor judges its sender: a node (which signs its own pods' tokens) may
  // not have the API mint one for an account of its choosing. Nor does a stream into a pod (exec, attach,
  // port-forward): only users' trees may open one, never a node's or the controllers'.
  if (!channel || (channel.role === "node" && req.subresource === "token")) return null;
  if (channel.role !== "user" && isStream(resource, req.subresource)) return null;
  return { side: "publish", subject: commandSubject(prefix, { resource, namespace: ns, name: req.name ?? ANY_NAME }, channel) };
}

/** True for a subresource that streams into the workload (`pods/exec`, registered with `stream`). Pure. */
function isStream(resource: Resource, subresource: string | undefined): boolean {
  return subresource !== undefined && RESOURCE_INFO[resource]?.subresources.some((s) => s.name === subresource && s.stream === true) === true;
}

/** True when the user may make this request: the subject it stands for is one nats-server lets that user use. Pure. */
export function isAllowed(identity: Identity, req: ResourceRequest, prefix = DEFAULT_PREFIX): boolean {
  const check = subjectOf(identity, req, prefix);
  if (!check) return false;
  const perms = permissionsFor(identity.role, prefix, identity.namespace ?? identity.node);
  return permits(perms[check.side], check.subject);
}

/** Returns when the user may make the request, else throws Forbidden in Kubernetes' words (see `forbidden`). Pure. */
export function authorize(identity: Identity, req: ResourceRequest, prefix = DEFAULT_PREFIX): void {
  if (!isAllowed(identity, req, prefix)) throw forbidden(identity, req);
}

/**
 * The Forbidden error of the Kubernetes apiserver for a refused request, same message shape:
 * `pods "web" is forbidden: User "tenant-alpha" cannot get resource "pods" in API group "" in the namespace "beta"`
 * (no name: `pods is forbidden: …`; no namespace: `… at the cluster scope`), details `{ kind: resource, name }`. Pure.
 */
export function forbidden(identity: Pick<Identity, "user">, req: Omit<ResourceRequest, "clusterScoped">, reason?: string): StatusError {
  const group = req.apiGroup ?? "";
  const qualified = group ? `${req.resource}.${group}` : req.resource;
  const resource = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  const where = req.namespace ? `in the namespace ${JSON.stringify(req.namespace)}` : "at the cluster scope";
  const why = `User ${JSON.stringify(identity.user)} cannot ${req.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(group)} ${where}`;
  const subject = req.name ? `${qualified} ${JSON.stringify(req.name)}` : qualified;
  return new StatusError("Forbidden", `${subject} is forbidden: ${why}${reason ? `: ${reason}` : ""}`, {
    kind: req.resource, ...(req.name ? { name: req.name } : {}),
  });
}

/**
 * Paths outside the resources that every authenticated user may read, as Kubernetes' `system:discovery` and
 * `system:public-info-viewer` roles allow: discovery, the version, OpenAPI and health.
 */
const PUBLIC_PATHS = ["/api", "/apis", "/version", "/openapi", "/healthz", "/livez", "/readyz"];

/**
 * Authorizes a request for a path that names no resource (`/api`, `/apis/apps/v1`, `/openapi/v2`, `/version`): reads of
 * discovery and health are open to every authenticated user, anything else is Forbidden in the apiserver's words
 * (`forbidden: User "viewer" cannot post path "/x"`). `verb` is the lowercase HTTP method. Pure.
 */
export function authorizeNonResource(user: string, verb: string, path: string): void {
  const reading = verb === "get" || verb === "head";
  if (reading && PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return;
  throw new StatusError("Forbidden", `forbidden: User ${JSON.stringify(user)} cannot ${verb} path ${JSON.stringify(path)}`);
}

/** True for the verbs that read (served by the read model) rather than write (sent as commands). Pure. */
export function isRead(verb: Verb): verb is "get" | "list" | "watch" {
  return verb === "get" || verb === "list" || verb === "watch";
}

/** The namespace token of a request's subject: `_` for cluster-scoped kinds, `_all` for a namespaced one without namespace. Pure. */
function namespaceToken(req: ResourceRequest): string {
  if (req.clusterScoped ?? (isResource(req.resource) && RESOURCE_INFO[req.resource].clusterScoped)) return CLUSTER_NS;
  return req.namespace || ALL_NAMESPACES;
}
