/** RFC 6902 JSON patch (application/json-patch+json), applied by fast-json-patch with Kubernetes' answers. */
import jsonpatch from "fast-json-patch";
import { StatusError } from "../status.js";
import { type JsonObject, isObject, parseJsonBody } from "./body.js";

/** The most operations one JSON patch may carry (as the Kubernetes apiserver allows). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

/** Kubernetes' message when a JSON patch cannot be applied to the object (422 Invalid). */
export const JSON_PATCH_REJECTED = "the server rejected our request due to an error in our request";

/**
 * Applies a JSON patch body to `current`. A body that is not a JSON array is 400 BadRequest; more than
 * {@link MAX_JSON_PATCH_OPERATIONS} operations 413; an operation that cannot be applied (a failed `test`, a
 * path that does not resolve, an unknown `op`) 422 Invalid with the library's reason as its cause, as the
 * apiserver answers. Pure: `current` is not changed.
 */
export function applyJsonPatch(current: JsonObject, body: string | Uint8Array): JsonObject {
  const ops = parseJsonBody(body);
  if (!Array.isArray(ops)) throw new StatusError("BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError("TooLarge", `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  let doc: unknown = structuredClone(current);
  try {
    (structuredClone(ops) as jsonpatch.Operation[]).forEach((op, i) => {
      const asApplied = asTheApiserverReads(doc, op);
      if (asApplied) doc = jsonpatch.applyOperation(doc, asApplied, true, true, true, i).newDocument;
    });
  } catch (err) {
    if (!(err instanceof jsonpatch.JsonPatchError)) throw err;
    throw rejected(err.message.split("\n")[0] ?? err.name, err);
  }
  if (!isObject(doc)) throw rejected("the patched document is not an object", undefined);
  return doc;
}

/**
 * An operation as the apiserver's JSON patch library (evanphx/json-patch v4) reads it where it departs from
 * RFC 6902: `replace` of a key an object lacks adds it, and `test` of a key an object lacks passes for `null`
 * (undefined: nothing to do).
 */
function asTheApiserverReads(doc: unknown, op: jsonpatch.Operation): jsonpatch.Operation | undefined {
  if (op?.op !== "replace" && op?.op !== "test") return op;
  const path = typeof op.path === "string" ? op.path : "";
  const cut = path.lastIndexOf("/");
  if (cut < 0) return op;
  let parent: unknown;
  try {
    parent = jsonpatch.getValueByPointer(doc, path.slice(0, cut));
  } catch {
    return op;
  }
  const key = path.slice(cut + 1).replace(/~1/g, "/").replace(/~0/g, "~");
  if (!isObject(parent) || key in parent) return op;
  if (op.op === "replace") return { ...op, op: "add" };
  return op.value === null ? undefined : op;
}

function rejected(reason: string, cause: unknown): StatusError {
  return new StatusError("Invalid", JSON_PATCH_REJECTED, { causes: [{ field: "patch", message: reason }] }, { cause });
}
