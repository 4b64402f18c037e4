/**
 * Protobuf request bodies. client-go's typed clients for built-in kinds send protobuf (`application/vnd.kubernetes.protobuf`,
 * the `k8s\0` envelope holding a runtime.Unknown), e.g. `kubectl create namespace`. This reads the envelope and the few
 * messages such clients send to Coxswain (Namespace, DeleteOptions) into their JSON form; any other kind is 415.
 * Field numbers follow the published k8s.io/api protobuf schema. Pure.
 */
import { StatusError } from "../api/status.js";

/** The protobuf media type of Kubernetes objects. */
export const PROTOBUF = "application/vnd.kubernetes.protobuf";

type FieldType = "string" | "varint" | "bool" | "time" | "map" | { message: Schema };
interface FieldSpec { name: string; type: FieldType; repeated?: boolean }
type Schema = Record<number, FieldSpec>;

const TIME: Schema = { 1: { name: "seconds", type: "varint" }, 2: { name: "nanos", type: "varint" } };
const OBJECT_META: Schema = {
  1: { name: "name", type: "string" }, 2: { name: "generateName", type: "string" }, 3: { name: "namespace", type: "string" },
  5: { name: "uid", type: "string" }, 6: { name: "resourceVersion", type: "string" }, 7: { name: "generation", type: "varint" },
  8: { name: "creationTimestamp", type: "time" }, 11: { name: "labels", type: "map" }, 12: { name: "annotations", type: "map" },
  14: { name: "finalizers", type: "string", repeated: true },
};
const NAMESPACE: Schema = {
  1: { name: "metadata", type: { message: OBJECT_META } },
  2: { name: "spec", type: { message: { 1: { name: "finalizers", type: "string", repeated: true } } } },
};
const DELETE_OPTIONS: Schema = {
  1: { name: "gracePeriodSeconds", type: "varint" },
  2: { name: "preconditions", type: { message: { 1: { name: "uid", type: "string" }, 2: { name: "resourceVersion", type: "string" } } } },
  3: { name: "orphanDependents", type: "bool" }, 4: { name: "propagationPolicy", type: "string" }, 5: { name: "dryRun", type: "string", repeated: true },
};
const RESOURCE_ATTRIBUTES: Schema = {
  1: { name: "namespace", type: "string" }, 2: { name: "verb", type: "string" }, 3: { name: "group", type: "string" }, 4: { name: "version", type: "string" },
  5: { name: "resource", type: "string" }, 6: { name: "subresource", type: "string" }, 7: { name: "name", type: "string" },
};
const SELF_SUBJECT_ACCESS_REVIEW: Schema = {
  1: { name: "metadata", type: { message: OBJECT_META } },
  2: { name: "spec", type: { message: {
    1: { name: "resourceAttributes", type: { message: RESOURCE_ATTRIBUTES } },
    2: { name: "nonResourceAttributes", type: { message: { 1: { name: "path", type: "string" }, 2: { name: "verb", type: "string" } } } },
  } } },
};
const KINDS: Record<string, Schema> = { Namespace: NAMESPACE, DeleteOptions: DELETE_OPTIONS, SelfSubjectAccessReview: SELF_SUBJECT_ACCESS_REVIEW };
const TYPE_META: Schema = { 1: { name: "apiVersion", type: "string" }, 2: { name: "kind", type: "string" } };

/** The JSON form of a protobuf body (`k8s\0` + runtime.Unknown). UnsupportedMediaType for a kind it cannot read. */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString("latin1") !== "k8s\0") throw new StatusError("BadRequest", "a protobuf body must start with the k8s envelope");
  const fields = readFields(body.subarray(4));
  const typeMeta = decode(fields.find((f) => f.number === 1)?.bytes ?? Buffer.alloc(0), TYPE_META);
  const kind = String(typeMeta.kind ?? "");
  const schema = KINDS[kind];
  if (!schema) throw new StatusError("UnsupportedMediaType", `protobuf bodies of kind "${kind}" are not served; send application/json`);
  const raw = fields.find((f) => f.number === 2)?.bytes ?? Buffer.alloc(0);
  return { apiVersion: typeMeta.apiVersion, kind, ...decode(raw, schema) };
}

interface RawField { number: number; wire: number; value: number; bytes?: Buffer }

function readFields(buf: Buffer): RawField[] {
  const out: RawField[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new StatusError("BadRequest", "truncated protobuf body");
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const wire = key & 7;
    const number = Math.floor(key / 8);
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 2) {
      const len = varint();
      out.push({ number, wire, value: len, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new StatusError("BadRequest", `unsupported protobuf wire type ${wire}`);
  }
  return out;
}

function decode(buf: Buffer, schema: Schema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of readFields(buf)) {
    const spec = schema?.[f.number];
    if (!spec) continue;
    const value = valueOf(f, spec.type);
    // gogo-protobuf writes empty strings and zero values; JSON omits them.
    if (value === undefined || value === "" || (spec.type === "varint" && value === 0 && !spec.repeated)) continue;
    if (spec.type === "map") out[spec.name] = { ...(out[spec.name] as object | undefined), ...(value as object) };
    else if (spec.repeated) out[spec.name] = [...((out[spec.name] as unknown[] | undefined) ?? []), value];
    else out[spec.name] = value;
  }
  return out;
}

function valueOf(f: RawField, type: FieldType): unknown {
  if (type === "varint") return f.value;
  if (type === "bool") return f.value !== 0;
  const bytes = f.bytes ?? Buffer.alloc(0);
  if (type === "string") return bytes.toString("utf8");
  if (type === "time") {
    const t = decode(bytes, TIME);
    return typeof t.seconds === "number" ? new Date(t.seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z") : undefined;
  }
  if (type === "map") {
    const entry = decode(bytes, { 1: { name: "k", type: "string" }, 2: { name: "v", type: "string" } });
    return { [String(entry.k ?? "")]: String(entry.v ?? "") };
  }
  return decode(bytes, type.message);
}
