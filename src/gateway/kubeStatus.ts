/**
 * Coxswain's Status errors as Kubernetes `Status` objects, worded so that kubectl prints its usual lines
 * (`The Pod "x" is invalid: spec.containers[0].image: Required value`, `Error from server (NotFound): …`). Pure.
 */
import { isResource, RESOURCE_INFO } from "../api/kinds.js";
import type { Status } from "../api/status.js";

/** Kubernetes' names for the reasons where they differ from Coxswain's. */
const KUBE_REASONS: Record<string, string> = {
  StaleTerm: "Conflict", TooLarge: "RequestEntityTooLarge", Unavailable: "ServiceUnavailable", Internal: "InternalError",
};

/** A Kubernetes `Status` object (kind Status) for a failure. */
export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  code: number;
  details?: { kind?: string; name?: string; group?: string; causes?: { reason?: string; field?: string; message: string }[] };
}

/**
 * A command's `data.` where a path starts in a message (`data.spec.x` is the object's `spec.x`), not one inside a
 * path (a ConfigMap's `data.data.a` is its `data.a`).
 */
const COMMAND_DATA = /(?<![.\w])data\./g;

/** The field path a user sent: a command's `data.spec.x` is the object's `spec.x`. */
function userPath(field: string): string {
  // One step: a kind's own top-level field named `data` (a ConfigMap's) is `data.data`, and stays `data`.
  return field === "data" ? "<root>" : field.replace(/^data\./, "");
}

/** The Kubernetes Status of a Coxswain Status. Invalid names the Kind (`Pod`) and each field by its object path. */
export function kubeStatus(status: Status): KubeStatus {
  const details = status.details ?? {};
  const kind = details.kind !== undefined && status.reason === "Invalid" && isResource(details.kind) ? RESOURCE_INFO[details.kind].kind : details.kind;
  const causes = details.causes?.map((c) => ({ reason: c.reason ?? causeReason(c.message), ...(c.field === "" ? {} : { field: userPath(c.field) }), message: c.message }));
  const message = status.reason === "Invalid" ? invalidMessage(kind, details.name, causes, status.message) : qualified(status.message.replace(COMMAND_DATA, ""), details);
  const out: KubeStatus = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: KUBE_REASONS[status.reason] ?? status.reason, code: status.code };
  // A NotFound always has its details, empty when it names no object (a path not served), as kube-apiserver sends it:
  // kubectl debug reads them to tell a missing pod from a subresource this server does not serve.
  if (kind !== undefined || details.name !== undefined || causes !== undefined || status.reason === "NotFound") {
    out.details = { ...(details.name !== undefined ? { name: details.name } : {}), ...(kind !== undefined ? { kind } : {}), ...(causes ? { causes } : {}) };
  }
  return out;
}

/** `deployments "web"` in a message as the apiserver names an object of a named group: `deployments.apps "web"`. Pure. */
function qualified(message: string, details: Status["details"] & object): string {
  const resource = details.kind;
  if (resource === undefined || details.name === undefined || !isResource(resource) || RESOURCE_INFO[resource].group === "") return message;
  return message.replace(`${resource} "${details.name}"`, `${resource}.${RESOURCE_INFO[resource].group} "${details.name}"`);
}

/** `Pod "web" is invalid: [spec.x: m1, spec.y: m2]`, as the apiserver words it. */
function invalidMessage(kind: string | undefined, name: string | undefined, causes: { field?: string; message: string }[] | undefined, fallback: string): string {
  if (!causes || causes.length === 0 || kind === undefined) return fallback.replace(COMMAND_DATA, "");
  const list = causes.map((c) => (c.field === undefined ? c.message : `${c.field}: ${c.message}`));
  return `${kind} "${name ?? ""}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(", ")}]`}`;
}

function causeReason(message: string): string {
  if (message === "unknown field") return "FieldValueUnknown";
  if (/required/i.test(message)) return "FieldValueRequired";
  if (/forbidden/i.test(message)) return "FieldValueForbidden";
  return "FieldValueInvalid";
}

/** A failure Status made here (reasons the command path never produces: Unauthorized, MethodNotAllowed, …). */
export function failure(code: number, reason: string, message: string, details?: KubeStatus["details"]): KubeStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code, ...(details ? { details } : {}) };
}

/** The Success Status of a delete whose object is gone at once. */
export function success(kind: string, name: string, uid?: string): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, kind, ...(uid ? { uid } : {}) } };
}
