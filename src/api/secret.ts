/**
 * v1 Secret: values a pod reads as environment variables (`env[].valueFrom.secretKeyRef`, `envFrom[].secretRef`),
 * kept apart from the rest: its events are stored encrypted (`sealed` in the kinds registry, src/events/sealing.ts)
 * and the viewer may not read it. `data` values are base64, `stringData` is write-only (merged into `data`, as the
 * apiserver does), `type` defaults to `Opaque` and never changes, and the typed Secrets need their keys.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { Base64, keyed, MAX_CONFIG_BYTES } from "./configMap.js";
import { groupKindCodec } from "./groupKind.js";

/** The Secret codec and schemas. */
export const secret = groupKindCodec({
  resource: "secrets", kind: "Secret", apiVersion: "v1", clusterScoped: false,
  fields: {
    type: z.string().max(253, "must be no more than 253 characters").optional(),
    data: keyed(Base64).optional(),
    stringData: keyed(z.string()).optional(),
    immutable: z.boolean().optional(),
  },
});
export const secretCodec = secret.codec;

/** What a Secret holds. */
export interface SecretFields {
  type?: string | undefined;
  data?: Record<string, string> | undefined;
  stringData?: Record<string, string> | undefined;
  immutable?: boolean | undefined;
}

/** The keys a typed Secret must have (Kubernetes' built-in types). */
const REQUIRED_KEYS: Record<string, readonly string[]> = {
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
};

/** What is stored of a written Secret: `stringData` merged into `data` (base64) and dropped, `type` defaulted. Pure. */
export function storedSecret(fields: SecretFields): SecretFields {
  const { stringData, ...rest } = fields;
  const merged = stringData ? { ...rest.data, ...Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")])) } : rest.data;
  return { ...rest, type: rest.type || "Opaque", ...(merged ? { data: merged } : {}) };
}

/** Why stored fields cannot be a Secret's: a typed Secret without its keys, or too large (field paths as the apiserver's). Pure. */
export function secretProblem(o: SecretFields): { field: string; message: string } | null {
  const missing = (REQUIRED_KEYS[o.type ?? ""] ?? []).find((k) => o.data?.[k] === undefined);
  if (missing !== undefined) return { field: `data[${missing}]`, message: "Required value" };
  const size = Object.entries(o.data ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v, "base64"), 0);
  if (size > MAX_CONFIG_BYTES) return { field: "data", message: `Too long: must have at most ${MAX_CONFIG_BYTES} bytes` };
  return null;
}

/** The Secret columns: NAME TYPE DATA AGE. */
export const secretColumns = [
  nameColumn(),
  column<SecretFields>("Type", "string", 0, "The type of the secret.", (o) => o.type ?? "Opaque"),
  column<SecretFields>("Data", "integer", 0, "The number of keys in data.", (o) => Object.keys(o.data ?? {}).length),
  ageColumn(),
];
