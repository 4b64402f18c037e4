/**
 * v1 ConfigMap: configuration a pod reads as environment variables (`env[].valueFrom.configMapKeyRef`, `envFrom`).
 * Keys are config keys (`[-._a-zA-Z0-9]+`, at most 253), `binaryData` values base64, no key in both, at most 1 MiB in
 * all, as the apiserver checks them; an `immutable` ConfigMap's data cannot change (src/actors/configMap).
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";

const KEY_MESSAGE = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
export const ConfigKey = z.string().max(253, "must be no more than 253 characters").regex(/^[-._a-zA-Z0-9]+$/, KEY_MESSAGE)
  .refine((k) => k !== "." && k !== ".." && !k.startsWith(".."), "must not be '.' or '..' or start with '..'");
export const Base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "must be base64 (illegal base64 data)");

/** A map keyed by config keys (ConfigMap and Secret); a bad key is named with its own problem, as the apiserver words it. */
export const keyed = <V extends z.ZodType>(value: V) => z.record(ConfigKey, value, {
  error: (iss) => (iss.code === "invalid_key" ? `Invalid value: ${JSON.stringify(iss.input)}: ${(iss as { issues?: { message: string }[] }).issues?.[0]?.message ?? KEY_MESSAGE}` : undefined),
});

/** The most a ConfigMap's data and binaryData may hold together (the apiserver's 1 MiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The ConfigMap codec and schemas. */
export const configMap = groupKindCodec({
  resource: "configmaps", kind: "ConfigMap", apiVersion: "v1", clusterScoped: false,
  fields: {
    data: keyed(z.string()).optional(),
    binaryData: keyed(Base64).optional(),
    immutable: z.boolean().optional(),
  },
});
export const configMapCodec = configMap.codec;

/** What a ConfigMap holds. */
export interface ConfigMapFields {
  data?: Record<string, string> | undefined;
  binaryData?: Record<string, string> | undefined;
  immutable?: boolean | undefined;
}

/** Why these fields cannot be a ConfigMap's, beyond each field's own schema: a key twice, or too large. Pure. */
export function configMapProblem(o: ConfigMapFields): { field: string; message: string } | null {
  const twice = Object.keys(o.data ?? {}).find((k) => o.binaryData?.[k] !== undefined);
  if (twice !== undefined) return { field: `data[${twice}]`, message: `Invalid value: "${twice}": duplicate of key present in binaryData` };
  const size = Object.entries(o.data ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0)
    + Object.entries(o.binaryData ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v, "base64"), 0);
  if (size > MAX_CONFIG_BYTES) return { field: "<root>", message: `Too long: must have at most ${MAX_CONFIG_BYTES} bytes` };
  return null;
}

/** The ConfigMap columns: NAME DATA AGE. */
export const configMapColumns = [
  nameColumn(),
  column<ConfigMapFields>("Data", "integer", 0, "The number of keys in data and binaryData.",
    (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length),
  ageColumn(),
];
