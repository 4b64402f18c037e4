/**
 * Unions made walkable for `kubectl explain`, which follows only `properties`, `items`, `additionalProperties` and
 * `allOf`, and guesses a field's type from its `type` or from the name of the schema its `$ref` points at. zod
 * writes a union as `anyOf` (`oneOf` when discriminated). The alternatives stay, so the schema still says exactly
 * what is accepted, and the union is given more of what they all share:
 * - alternatives that are all objects: `type: object` and the merged properties (every alternative's; required:
 *   those every alternative requires), so `kubectl explain deployments.spec.strategy` lists `type` and `rollingUpdate`;
 * - scalars of one type: that `type`;
 * - an integer or a string: `allOf: [$ref IntOrString]`; a string or a number: `allOf: [$ref Quantity]`, the names
 *   Kubernetes gives those two, which kubectl prints as the field's type.
 * Pure.
 */

/** A JSON schema object, as parsed JSON. */
export type Schema = Record<string, unknown>;

/** Where a shared schema of a document is referred to from. Pure. */
export function schemaRef(name: string): string {
  return `#/components/schemas/${name}`;
}

const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/** The shared schemas the unions of scalars refer to, by name (each use keeps its own, narrower alternatives). */
export const SCALAR_UNION_SCHEMAS: Record<string, Schema> = {
  [INT_OR_STRING]: { anyOf: [{ type: "integer" }, { type: "string" }] },
  [QUANTITY]: { anyOf: [{ type: "string" }, { type: "number" }] },
};

/** The shared schema of a union of two scalar types (sorted, comma-separated), with a description for a use without one. */
const SCALAR_UNIONS: Record<string, { name: string; description: string }> = {
  "integer,string": { name: INT_OR_STRING, description: "An integer or a string: a port's number or its name, a count or a percentage such as \"25%\"." },
  "number,string": { name: QUANTITY, description: "A quantity: a number, or a string such as \"500m\" or \"128Mi\"." },
};

const SCALAR_TYPES = new Set(["string", "integer", "number", "boolean"]);

/** `node` with what its union's alternatives share made explicit (unchanged when it is no union, or typed already). Pure. */
export function explainableUnion(node: Schema): Schema {
  const alternatives = (node.anyOf ?? node.oneOf) as Schema[] | undefined;
  if (!alternatives || node.type !== undefined || node.allOf !== undefined || node.$ref !== undefined) return node;
  const types = [...new Set(alternatives.map((a) => a.type))];
  if (types.length === 1 && types[0] === "object") return { ...node, ...mergedObject(alternatives) };
  if (types.length === 1 && SCALAR_TYPES.has(String(types[0]))) return { ...node, type: types[0] };
  const shared = SCALAR_UNIONS[types.map(String).sort().join(",")];
  if (shared) return { description: shared.description, ...node, allOf: [{ $ref: schemaRef(shared.name) }] };
  return node;
}

/** One object schema with the properties of all `alternatives`, requiring what each of them requires. Pure. */
function mergedObject(alternatives: Schema[]): Schema {
  const byName = new Map<string, Schema[]>();
  for (const alternative of alternatives) {
    for (const [name, schema] of Object.entries((alternative.properties ?? {}) as Record<string, Schema>)) {
      byName.set(name, [...(byName.get(name) ?? []), schema]);
    }
  }
  const properties = Object.fromEntries([...byName].map(([name, schemas]) => [name, mergedProperty(schemas)]));
  const required = alternatives.map((a) => (a.required ?? []) as string[]).reduce((all, r) => all.filter((name) => r.includes(name)));
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}

/** One schema accepting what any of `schemas` accepts: the same one, one enum of all their values, or their union. Pure. */
function mergedProperty(schemas: Schema[]): Schema {
  const [first, ...rest] = schemas as [Schema, ...Schema[]];
  const apartFromEnum = (s: Schema) => JSON.stringify({ ...s, enum: undefined });
  if (rest.every((s) => JSON.stringify(s) === JSON.stringify(first))) return first;
  if (Array.isArray(first.enum) && rest.every((s) => Array.isArray(s.enum) && apartFromEnum(s) === apartFromEnum(first))) {
    return { ...first, enum: [...new Set(schemas.flatMap((s) => s.enum as unknown[]))] };
  }
  return explainableUnion({ anyOf: schemas });
}
