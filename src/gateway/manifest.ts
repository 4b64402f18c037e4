/**
 * From a Kubernetes object as a client sends it to a Coxswain manifest: the fields the server sets (uid,
 * resourceVersion, creationTimestamp, status, managedFields, …) are dropped, as the apiserver ignores them on
 * create and update, and unknown fields are handled per `fieldValidation`: `Strict` refuses them (400, naming each
 * path), `Warn` (the default) and `Ignore` drop them, `Warn` with a warning. Pure.
 */
import type { ApiVersion } from "../api/codec.js";
import { codecFor } from "../api/codecs.js";
import { RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { dropDefaults } from "../api/podDefaults.js";
import { StatusError } from "../api/status.js";
import { storeManagedFields } from "./managedFields.js";

/** Metadata fields the server owns: ignored when a client sends them back. */
const SERVER_METADATA = ["uid", "resourceVersion", "creationTimestamp", "generation", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

/** How unknown fields are treated. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** The fieldValidation query parameter (default Warn, as the apiserver's). Pure. */
export function fieldValidationOf(value: string | null): FieldValidation {
  if (value === null || value === "") return "Warn";
  if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
  throw new StatusError("BadRequest", `fieldValidation must be Strict, Warn or Ignore, not "${value}"`, { causes: [{ field: "fieldValidation", message: "unsupported" }] });
}

/**
 * A deep copy of a client object of `resource` without the fields the server sets (managedFields kept in their
 * annotation) and, in v1, without the pod-spec defaults the gateway shows (src/api/podDefaults.ts; `stored`: the
 * object it replaces, as stored). Pure.
 */
export function withoutServerFields(object: Record<string, unknown>, version: ApiVersion, resource: Resource, stored?: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(version === "v1" ? storeManagedFields(object) : object);
  delete out.status;
  if (version === "v1beta1") {
    for (const k of ["uid", "resourceVersion", "creationTimestamp", "selfLink", "currentState"]) delete out[k];
    return out;
  }
  const meta = out.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === "object") for (const k of SERVER_METADATA) delete meta[k];
  // A client's owner references are kept, as the apiserver keeps them (`kubectl create job --from=cronjob/x` sets one),
  // and the garbage collector follows them; an empty list is none.
  if (meta && Array.isArray(meta.ownerReferences) && meta.ownerReferences.length === 0) delete meta.ownerReferences;
  // A template's metadata comes back from generators (`kubectl create deployment|cronjob`) with `creationTimestamp: null`.
  type Templated = { template?: { metadata?: Record<string, unknown> }; jobTemplate?: { metadata?: Record<string, unknown>; spec?: Templated } };
  const spec = out.spec as Templated | undefined;
  for (const meta of [spec?.template?.metadata, spec?.jobTemplate?.metadata, spec?.jobTemplate?.spec?.template?.metadata]) {
    if (meta && typeof meta === "object") delete meta.creationTimestamp;
  }
  dropDefaults(resource, out, stored);
  return out;
}

/** The manifest checked against the kind's schema, with unknown fields handled per `mode`; the warnings to send. */
export function checkManifest(
  resource: Resource, version: ApiVersion, body: Record<string, unknown>, target: { namespace: string; name: string }, mode: FieldValidation,
): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  let current = body;
  for (let round = 0; round < 8; round++) {
    try {
      codecFor(resource).parseManifest(version, current, target);
      return { body: current, warnings };
    } catch (err) {
      if (!(err instanceof StatusError) || err.reason !== "Invalid") throw err;
      const wrongType = (err.details.causes ?? []).map(typeMismatch).find((m) => m !== null);
      if (wrongType) throw decodingError(resource, version, wrongType, target.name);
      const unknown = (err.details.causes ?? []).filter((c) => c.message === "unknown field").map((c) => c.field.replace(/^data\./, ""));
      if (unknown.length === 0) throw err;
      if (mode === "Strict") throw strictError(resource, version, unknown, target.name);
      current = structuredClone(current);
      for (const path of unknown) removePath(current, path);
      if (mode === "Warn") warnings.push(...unknown.map((p) => `unknown field "${p}"`));
    }
  }
  return { body: current, warnings };
}

/**
 * A cause that is a field of the wrong JSON type (not a missing one): the field as the command names it
 * (`data.spec.replicas`: the HTTP Status names it as the object's, kubeStatus.ts), the type wanted and the one given.
 */
interface TypeMismatch { field: string; expected: string; received: string }

/** The type mismatch a schema's cause states (`Invalid input: expected number, received string`), or null. Pure. */
function typeMismatch(cause: { field: string; message: string }): TypeMismatch | null {
  const m = /^Invalid input: expected (\w+), received (\w+)$/.exec(cause.message);
  if (!m || m[2] === "undefined") return null;
  return { field: cause.field, expected: m[1] ?? "", received: m[2] ?? "" };
}

/**
 * A field of the wrong JSON type, as the apiserver's decoder refuses it before any validation: 400 BadRequest,
 * `Deployment in version "v1" cannot be handled as a Deployment: …`, naming the field (the first one, as decoding
 * stops there).
 */
function decodingError(resource: Resource, version: ApiVersion, m: TypeMismatch, name: string): StatusError {
  const kind = RESOURCE_INFO[resource].kind;
  const a = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  const message = `must be ${a(m.expected)}, not ${m.received}`;
  return new StatusError("BadRequest", `${kind} in version "${version}" cannot be handled as a ${kind}: ${m.field} ${message}`, {
    kind: resource, name, causes: [{ field: m.field, message }],
  });
}

function strictError(resource: Resource, version: ApiVersion, fields: string[], name: string): StatusError {
  const kind = RESOURCE_INFO[resource].kind;
  const list = fields.map((f) => `unknown field "${f}"`).join(", ");
  return new StatusError("BadRequest", `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${list}`, {
    kind: resource, name, causes: fields.map((field) => ({ field, message: "unknown field" })),
  });
}

/** Deletes `spec.containers[0].foo` from an object. */
function removePath(object: Record<string, unknown>, path: string): void {
  const steps = path.match(/[^.[\]]+/g) ?? [];
  let node: unknown = object;
  for (const step of steps.slice(0, -1)) {
    if (node === null || typeof node !== "object") return;
    node = (node as Record<string, unknown>)[step];
  }
  const last = steps[steps.length - 1];
  if (node !== null && typeof node === "object" && last !== undefined) delete (node as Record<string, unknown>)[last];
}
