/** The one entry point of a PATCH: picks the patch type from the Content-Type and applies the body. Pure. */
import { StatusError } from "../status.js";
import { type JsonObject, parseJsonObjectBody } from "./body.js";
import { asDecoded } from "./directives.js";
import { applyJsonPatch } from "./jsonPatch.js";
import { applyMergePatch } from "./mergePatch.js";
import { patchMetaFor } from "./patchMeta.js";
import { applyStrategicMerge } from "./strategicMerge.js";
import { recordUpdate } from "./managedFields.js";
import { serverSideApply } from "./serverSideApply.js";

/** The patch media types the API accepts, in Kubernetes' order (its 415 message lists them so). */
export const PATCH_CONTENT_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
] as const;
export type PatchContentType = (typeof PATCH_CONTENT_TYPES)[number];

/** What a PATCH request brings. */
export interface PatchInput {
  /** The object as the v1 API renders it; undefined when it does not exist (only server-side apply may create). */
  current: JsonObject | undefined;
  /** The raw PATCH body. */
  body: string | Uint8Array;
  /** The request's Content-Type (a `;charset=...` tail is ignored). */
  contentType: string;
  /** The Kind name (`Pod`, `ReplicationController`, `Deployment`, ...): picks the strategic merge metadata. */
  kind: string;
  /** The field manager: required for server-side apply; for other patches it records an Update entry. */
  fieldManager?: string;
  /** Server-side apply: take fields other managers own instead of answering 409 Conflict. */
  force?: boolean;
  /** The RFC 3339 time written into managedFields entries. */
  now?: string;
}

/**
 * The patch type named by a Content-Type header, or 415 UnsupportedMediaType with Kubernetes' message. Pure.
 */
export function patchTypeOf(contentType: string): PatchContentType {
  const base = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  const known = PATCH_CONTENT_TYPES.find((t) => t === base);
  if (known) return known;
  throw new StatusError(
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${PATCH_CONTENT_TYPES.join(", ")}`,
  );
}

/**
 * Applies a PATCH to the current object and returns the whole new object. Errors are StatusErrors with
 * Kubernetes' reasons: 415 for an unknown Content-Type, 400 for a malformed body, 422 for a JSON patch that
 * does not apply or bad patch options, 404 when the object does not exist and the patch is not an apply, 409
 * for an apply conflict. A non-apply patch with a `fieldManager` records that manager's "Update" entry in
 * `metadata.managedFields`. Pure: no clock, no I/O, `input.current` is not changed.
 */
export function applyPatch(input: PatchInput): JsonObject {
  const type = patchTypeOf(input.contentType);
  checkPatchOptions(type, input);
  if (type === "application/apply-patch+yaml") {
    const now = input.now !== undefined ? { now: input.now } : {};
    return serverSideApply({ current: input.current, body: input.body, kind: input.kind, fieldManager: input.fieldManager ?? "", force: input.force === true, ...now });
  }
  const current = input.current;
  if (current === undefined) throw new StatusError("NotFound", `${input.kind} not found`, { kind: input.kind });
  const next = patchBody(type, current, input);
  return input.fieldManager === undefined ? next : recordUpdate(current, next, input.fieldManager, input.now);
}

function patchBody(type: Exclude<PatchContentType, "application/apply-patch+yaml">, current: JsonObject, input: PatchInput): JsonObject {
  switch (type) {
    case "application/json-patch+json":
      return asDecoded(applyJsonPatch(current, input.body)) as JsonObject;
    case "application/merge-patch+json":
      // Null-valued keys inside values put whole (list items) go, as decoding into the typed object drops them.
      return asDecoded(applyMergePatch(current, parseJsonObjectBody(input.body, "Invalid JSON Patch"))) as JsonObject;
    case "application/strategic-merge-patch+json":
      return applyStrategicMerge(current, parseJsonObjectBody(input.body, "error decoding patch"), patchMetaFor(input.kind));
    default:
      return unreachable(type);
  }
}

/** Kubernetes' checks of the PATCH options: apply needs a field manager, only apply may force. */
function checkPatchOptions(type: PatchContentType, input: PatchInput): void {
  const causes: { field: string; message: string }[] = [];
  const apply = type === "application/apply-patch+yaml";
  if (!apply && input.force === true) causes.push({ field: "force", message: "Forbidden: may not be specified for non-apply patch" });
  if (apply && !input.fieldManager) causes.push({ field: "fieldManager", message: "Required value: is required for apply patch" });
  const manager = input.fieldManager ?? "";
  if (manager.length > 128) causes.push({ field: "fieldManager", message: `Too long: may not be more than 128 bytes` });
  if (/[^\x20-\x7e]/.test(manager)) causes.push({ field: "fieldManager", message: "Invalid value: must only contain printable characters" });
  if (causes.length === 0) return;
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  throw new StatusError("Invalid", `PatchOptions.meta.k8s.io "" is invalid: ${summary}`, { kind: "PatchOptions", causes });
}

function unreachable(type: never): never {
  throw new Error(`unhandled patch type ${String(type)}`);
}
