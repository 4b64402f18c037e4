/**
 * The OpenAPI documents kubectl asks for, generated from the kinds registry. `/openapi/v3` lists a document per
 * group version whose PATCH operations accept the `fieldValidation` query parameter, so kubectl (1.27+) leaves
 * validation to the server (which refuses unknown fields, naming their path) instead of validating on the client.
 * They offer no strategic-merge-patch body, so `kubectl apply` computes its patches from its built-in types.
 * Their `components.schemas` describe each kind's manifest (openapiSchemas.ts), which `kubectl explain` prints.
 * `/openapi/v2` is openapiV2.ts's. Pure.
 */
import { createHash } from "node:crypto";
import { RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { groupVersions, KUBERNETES_VERSION } from "./discovery.js";
import { kindSchemas } from "./openapiSchemas.js";

/** The path of a group version in `/openapi/v3` (`api/v1`, `apis/autoscaling/v1`). */
function v3Key(groupVersion: string): string {
  return groupVersion.includes("/") ? `apis/${groupVersion}` : `api/${groupVersion}`;
}

/** `/openapi/v3`: where each group version's document is, with a hash of its content. */
export function openapiV3Root(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions().keys()) paths[v3Key(gv)] = { serverRelativeURL: `/openapi/v3/${v3Key(gv)}?hash=${madeDocument(gv)?.hash ?? ""}` };
  return { paths };
}

const QUERY = (name: string, type = "string") => ({ name, in: "query", schema: { type }, description: name });
const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

/**
 * The documents made so far, with their hashes: each depends only on the kinds registry, and converting its schemas
 * takes a while.
 */
const documents = new Map<string, { document: Record<string, unknown>; hash: string }>();

/**
 * One group version's OpenAPI v3 document: each object path with its verbs and each kind's schema, or null for an
 * unknown group version. Pure (made once per group version; callers must not change it).
 */
export function openapiV3Document(groupVersion: string): Record<string, unknown> | null {
  return madeDocument(groupVersion)?.document ?? null;
}

/** A group version's document and its hash, made on first use and kept. */
function madeDocument(groupVersion: string): { document: Record<string, unknown>; hash: string } | undefined {
  const known = documents.get(groupVersion);
  if (known) return known;
  const document = makeV3Document(groupVersion);
  if (!document) return undefined;
  const made = { document, hash: createHash("sha512").update(JSON.stringify(document)).digest("hex").slice(0, 64).toUpperCase() };
  documents.set(groupVersion, made);
  return made;
}

/** Builds what openapiV3Document keeps. */
function makeV3Document(groupVersion: string): Record<string, unknown> | null {
  const resources = groupVersions().get(groupVersion);
  if (!resources) return null;
  const paths: Record<string, unknown> = {};
  for (const r of resources) paths[objectPath(groupVersion, r)] = objectOperations(groupVersion, r);
  return { openapi: "3.0.0", info: { title: "Coxswain", version: KUBERNETES_VERSION.gitVersion }, paths, components: { schemas: kindSchemas(resources) } };
}

/** The path of one object of `resource` at `groupVersion` (`/apis/apps/v1/namespaces/{namespace}/deployments/{name}`). */
export function objectPath(groupVersion: string, resource: Resource): string {
  const ns = RESOURCE_INFO[resource].clusterScoped ? "" : "/namespaces/{namespace}";
  return `/${v3Key(groupVersion)}${ns}/${resource}/{name}`;
}

function objectOperations(groupVersion: string, resource: Resource): Record<string, unknown> {
  const info = RESOURCE_INFO[resource];
  const gvk = { group: info.group, version: info.version, kind: info.kind };
  const op = (action: string, extra: Record<string, unknown> = {}) => ({
    operationId: `${action}${info.kind}`, "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk,
    responses: { "200": { description: "OK" } }, ...extra,
  });
  const validation = [QUERY("dryRun"), QUERY("fieldManager"), QUERY("fieldValidation")];
  const out: Record<string, unknown> = { get: op("get") };
  if (info.verbs.includes("update")) out.put = op("put", { parameters: validation, requestBody: { content: { "application/json": { schema: {} } } } });
  if (info.verbs.includes("patch")) {
    out.patch = op("patch", {
      parameters: [...validation, QUERY("force", "boolean")],
      requestBody: { content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: {} }])) },
    });
  }
  if (info.verbs.includes("delete")) out.delete = op("delete");
  return out;
}
