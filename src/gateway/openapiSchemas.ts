/**
 * The `components.schemas` of a group version's OpenAPI v3 document: one schema per kind, converted from the zod
 * manifest schemas (src/api/jsonSchemas.ts, the only source) and named as Kubernetes names them
 * (`io.k8s.api.core.v1.Pod`). `kubectl explain` finds a kind's schema by its `x-kubernetes-group-version-kind`
 * and walks `properties`, `items` and `additionalProperties` down to the leaves, so nested objects are inlined and
 * unions are given what it can walk (openapiUnions.ts). A kind described by its objects (Event, mostly made by the
 * server) is given its objects' schema.
 * Pure.
 */
import { z } from "zod";
import { MANIFEST_SCHEMAS, READ_ONLY_SCHEMAS } from "../api/jsonSchemas.js";
import { apiVersionOf, RESOURCE_INFO, type KindInfo, type Resource } from "../api/kinds.js";
import { explainableUnion, SCALAR_UNION_SCHEMAS, schemaRef, type Schema } from "./openapiUnions.js";

const CONVENTIONS = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md";

/** What every object's `apiVersion`, `kind` and `metadata` mean (as Kubernetes describes them, in our words). */
const COMMON_FIELDS: Record<string, string> = {
  apiVersion: "The versioned schema this object is written in: `<group>/<version>` (`apps/v1`), or the bare version for "
    + "the core group (`v1`). The server converts the versions it knows and refuses any other. More info: "
    + `${CONVENTIONS}#resources`,
  kind: "The kind of object this is, in CamelCase (`Pod`): it names the REST resource the object belongs to. The server "
    + `may infer it from the endpoint a request is sent to, and it cannot be changed. More info: ${CONVENTIONS}#types-kinds`,
  metadata: "The object's standard metadata: its name, namespace, labels, annotations and owners. More info: "
    + `${CONVENTIONS}#metadata`,
};

/**
 * The name Kubernetes gives a kind's schema: `io.k8s.api.<package>.<version>.<Kind>` for the core group (`core`)
 * and the `*.k8s.io` or dotless groups (`apps`, `rbac`, `coordination`), the reversed domain for any other group
 * (`coxswain.io` → `io.coxswain.v1.Image`, as for a custom resource). Pure.
 */
export function schemaName(info: Pick<KindInfo, "group" | "version" | "kind">): string {
  const { group, version, kind } = info;
  if (group === "") return `io.k8s.api.core.${version}.${kind}`;
  if (!group.includes(".") || group.endsWith(".k8s.io")) return `io.k8s.api.${group.split(".")[0]}.${version}.${kind}`;
  return `${group.split(".").reverse().join(".")}.${version}.${kind}`;
}

/** `components.schemas` for the resources of one group version: each kind's schema and the shared ones they refer to. Pure. */
export function kindSchemas(resources: readonly Resource[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const resource of resources) {
    const info = RESOURCE_INFO[resource];
    // The schemas of a kind served at a later version than v1 (autoscaling/v2) are kept under `v1`, its current one.
    const key = info.version === "v1beta1" ? "v1beta1" : "v1";
    const manifest = (MANIFEST_SCHEMAS as Partial<Record<Resource, Partial<Record<string, z.ZodType>>>>)[resource]?.[key];
    const readOnly = (READ_ONLY_SCHEMAS as Partial<Record<Resource, Partial<Record<string, z.ZodType>>>>)[resource]?.[key];
    const schema = manifest ?? readOnly;
    if (!schema) continue;
    const json = z.toJSONSchema(schema, { io: manifest ? "input" : "output", unrepresentable: "any", target: "openapi-3.0" });
    out[schemaName(info)] = kindSchema(info, forExplain(json), manifest === undefined);
  }
  const text = JSON.stringify(out);
  for (const [name, schema] of Object.entries(SCALAR_UNION_SCHEMAS)) if (text.includes(JSON.stringify(schemaRef(name)))) out[name] = schema;
  return out;
}

/** A kind's top-level schema: described, tagged with its group/version/kind, its common fields described. Pure. */
function kindSchema(info: KindInfo, schema: Schema, readOnly: boolean): Schema {
  const properties = { ...(schema.properties as Record<string, Schema>) };
  for (const [name, description] of Object.entries(COMMON_FIELDS)) {
    if (properties[name]) properties[name] = { description, ...properties[name] };
  }
  return {
    description: readOnly
      ? `${info.kind} (${apiVersionOf(info)}): mostly made by the server; these are the fields of its objects.`
      : `${info.kind} (${apiVersionOf(info)}): the fields a manifest may set. The server fills in the rest `
        + "(defaults, status) and refuses unknown fields, naming their path.",
    ...schema, properties,
    "x-kubernetes-group-version-kind": [{ group: info.group, version: info.version, kind: info.kind }],
  };
}

/** A JSON schema as OpenAPI 3.0 accepts it (no `$schema`), each union in it made walkable (openapiUnions.ts). Pure. */
export function forExplain(node: unknown): Schema {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === "$schema") continue;
    if (key === "properties") out[key] = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, forExplain(v)]));
    else if (key === "anyOf" || key === "oneOf" || key === "allOf") out[key] = (value as unknown[]).map((v) => forExplain(v));
    else if (key === "items" || key === "additionalProperties" || key === "not") out[key] = forExplain(value);
    else out[key] = value;
  }
  return explainableUnion(out);
}
