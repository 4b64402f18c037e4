/** Decoding a PATCH body (JSON, or YAML for server-side apply) into plain values, with Kubernetes' 400 answers. */
import { parse as parseYaml } from "yaml";
import { StatusError } from "../status.js";

/** A JSON object as the patch functions see it. */
export type JsonObject = Record<string, unknown>;

/** Whether `v` is a JSON object (not an array, not null). Pure. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The body as text (UTF-8). Pure. */
export function bodyText(body: string | Uint8Array): string {
  if (typeof body === "string") return body;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch (err) {
    throw new StatusError("BadRequest", "the request body is not valid UTF-8", {}, { cause: err });
  }
}

/** Parses a JSON body; a syntax error is 400 BadRequest with `prefix` before the parser's message. Pure. */
export function parseJsonBody(body: string | Uint8Array, prefix = ""): unknown {
  try {
    return JSON.parse(bodyText(body));
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw new StatusError("BadRequest", `${prefix}${(err as Error).message}`, {}, { cause: err });
  }
}

/** Parses a JSON body that must be an object (merge and strategic merge patches). Pure. */
export function parseJsonObjectBody(body: string | Uint8Array, badMessage: string): JsonObject {
  const value = parseJsonBody(body, `${badMessage}: `);
  if (!isObject(value)) throw new StatusError("BadRequest", `${badMessage}: the patch must be a JSON object`);
  return value;
}

/** Parses a server-side apply body (YAML, of which JSON is a subset) that must be an object. Pure. */
export function parseApplyBody(body: string | Uint8Array): JsonObject {
  let value: unknown;
  try {
    value = parseYaml(bodyText(body), { uniqueKeys: true });
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw new StatusError("BadRequest", `error decoding YAML: ${(err as Error).message}`, {}, { cause: err });
  }
  if (!isObject(value)) {
    throw new StatusError("BadRequest", "error decoding YAML: the apply configuration must be an object");
  }
  return value;
}

/** A deep copy of a JSON value. Pure. */
export function cloneJson<T>(v: T): T {
  return structuredClone(v);
}
