/**
 * Protobuf request bodies. client-go's typed clients for built-in kinds send protobuf (`application/vnd.kubernetes.protobuf`,
 * the `k8s\0` envelope holding a runtime.Unknown), e.g. `kubectl create namespace`. This reads the envelope and the
 * messages such clients send to Coxswain (the objects of `kubectl create namespace | deployment | serviceaccount | quota |
 * service | role | clusterrole | rolebinding | clusterrolebinding | poddisruptionbudget | ingress`, DeleteOptions, the access
 * reviews, the Evictions of `kubectl drain`) into their JSON
 * form; any other kind is 415. Fields a schema does not name are skipped.
 * Field numbers follow the published k8s.io/api protobuf schema. Pure.
 */
import { StatusError } from "../api/status.js";
import { readFields as readWireFields, WireFormatError, type WireField } from "../protobufWire.js";

/** The protobuf media type of Kubernetes objects. */
export const PROTOBUF = "application/vnd.kubernetes.protobuf";

type FieldType = "string" | "varint" | "bool" | "time" | "map" | "bytesMap" | "quantityMap" | "intOrString" | { message: Schema };
/**
 * `zero`: a pointer field (`*int32`) whose 0 is a value the client set, not an omitted default. `inline`: a message
 * whose fields JSON carries in its parent's (an IngressRule's `ingressRuleValue`).
 */
interface FieldSpec { name: string; type: FieldType; repeated?: boolean; zero?: boolean; inline?: boolean }
type Schema = Record<number, FieldSpec>;

const TIME: Schema = { 1: { name: "seconds", type: "varint" }, 2: { name: "nanos", type: "varint" } };
const OBJECT_META: Schema = {
  1: { name: "name", type: "string" }, 2: { name: "generateName", type: "string" }, 3: { name: "namespace", type: "string" },
  5: { name: "uid", type: "string" }, 6: { name: "resourceVersion", type: "string" }, 7: { name: "generation", type: "varint" },
  8: { name: "creationTimestamp", type: "time" }, 11: { name: "labels", type: "map" }, 12: { name: "annotations", type: "map" },
  13: { name: "ownerReferences", repeated: true, type: { message: {
    1: { name: "kind", type: "string" }, 3: { name: "name", type: "string" }, 4: { name: "uid", type: "string" }, 5: { name: "apiVersion", type: "string" },
    6: { name: "controller", type: "bool" }, 7: { name: "blockOwnerDeletion", type: "bool" },
  } } },
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
const LABEL_SELECTOR: Schema = {
  1: { name: "matchLabels", type: "map" },
  2: { name: "matchExpressions", repeated: true, type: { message: { 1: { name: "key", type: "string" }, 2: { name: "operator", type: "string" }, 3: { name: "values", type: "string", repeated: true } } } },
};
const CONTAINER: Schema = {
  1: { name: "name", type: "string" }, 2: { name: "image", type: "string" }, 3: { name: "command", type: "string", repeated: true },
  4: { name: "args", type: "string", repeated: true }, 5: { name: "workingDir", type: "string" },
  6: { name: "ports", repeated: true, type: { message: { 1: { name: "name", type: "string" }, 2: { name: "hostPort", type: "varint" }, 3: { name: "containerPort", type: "varint" }, 4: { name: "protocol", type: "string" } } } },
  7: { name: "env", repeated: true, type: { message: { 1: { name: "name", type: "string" }, 2: { name: "value", type: "string" } } } },
  14: { name: "imagePullPolicy", type: "string" },
};
const POD_SPEC: Schema = {
  2: { name: "containers", type: { message: CONTAINER }, repeated: true }, 3: { name: "restartPolicy", type: "string" },
  4: { name: "terminationGracePeriodSeconds", type: "varint", zero: true }, 7: { name: "nodeSelector", type: "map" },
  8: { name: "serviceAccountName", type: "string" }, 9: { name: "serviceAccount", type: "string" }, 10: { name: "nodeName", type: "string" },
  20: { name: "initContainers", type: { message: CONTAINER }, repeated: true }, 21: { name: "automountServiceAccountToken", type: "bool" },
};
const POD_TEMPLATE_SPEC: Schema = { 1: { name: "metadata", type: { message: OBJECT_META } }, 2: { name: "spec", type: { message: POD_SPEC } } };
const DEPLOYMENT: Schema = {
  1: { name: "metadata", type: { message: OBJECT_META } },
  2: { name: "spec", type: { message: {
    1: { name: "replicas", type: "varint", zero: true }, 2: { name: "selector", type: { message: LABEL_SELECTOR } },
    3: { name: "template", type: { message: POD_TEMPLATE_SPEC } },
    4: { name: "strategy", type: { message: { 1: { name: "type", type: "string" }, 2: { name: "rollingUpdate", type: { message: { 1: { name: "maxUnavailable", type: "intOrString" }, 2: { name: "maxSurge", type: "intOrString" } } } } } } },
    5: { name: "minReadySeconds", type: "varint" }, 6: { name: "revisionHistoryLimit", type: "varint", zero: true }, 7: { name: "paused", type: "bool" },
    9: { name: "progressDeadlineSeconds", type: "varint", zero: true },
  } } },
};
const JOB: Schema = {
  1: { name: "metadata", type: { message: OBJECT_META } },
  2: { name: "spec", type: { message: {
    1: { name: "parallelism", type: "varint", zero: true }, 2: { name: "completions", type: "varint", zero: true },
    3: { name: "activeDeadlineSeconds", type: "varint" }, 4: { name: "selector", type: { message: LABEL_SELECTOR } },
    5: { name: "manualSelector", type: "bool" }, 6: { name: "template", type: { message: POD_TEMPLATE_SPEC } },
    7: { name: "backoffLimit", type: "varint", zero: true }, 8: { name: "ttlSecondsAfterFinished", type: "varint", zero: true },
    9: { name: "completionMode", type: "string" }, 10: { name: "suspend", type: "bool" },
  } } },
};
const CRON_JOB: Schema = {
  1: { name: "metadata", type: { message: OBJECT_META } },
  2: { name: "spec", type: { message: {
    1: { name: "schedule", type: "string" }, 8: { name: "timeZone", type: "string" }, 2: { name: "startingDeadlineSeconds", type: "varint", zero: true },
    3: { name: "concurrencyPolicy", type: "string" }, 4: { name: "suspend", type: "bool" },
    5: { name: "jobTemplate", type: { message: { 1: { name: "metadata", type: { message: OBJECT_META } }, 2: JOB[2] as FieldSpec } } },
    6: { name: "successfulJobsHistoryLimit", type: "varint", zero: true }, 7: { name: "failedJobsHistoryLimit", type: "varint", zero: true },
  } } },
};
const METADATA: FieldSpec = { name: "metadata", type: { message: OBJECT_META } };
const OBJECT_REFERENCE: Schema = {
  1: { name: "kind", type: "string" }, 2: { name: "namespace", type: "string" }, 3: { name: "name", type: "string" }, 4: { name: "uid", type: "string" },
  5: { name: "apiVersion", type: "string" }, 6: { name: "resourceVersion", type: "string" }, 7: { name: "fieldPath", type: "string" },
};
const SERVICE_ACCOUNT: Schema = {
  1: METADATA, 2: { name: "secrets", type: { message: OBJECT_REFERENCE }, repeated: true },
  3: { name: "imagePullSecrets", type: { message: { 1: { name: "name", type: "string" } } }, repeated: true }, 4: { name: "automountServiceAccountToken", type: "bool" },
};
const RESOURCE_QUOTA: Schema = {
  1: METADATA,
  2: { name: "spec", type: { message: { 1: { name: "hard", type: "quantityMap" }, 2: { name: "scopes", type: "string", repeated: true } } } },
};
const SERVICE: Schema = {
  1: METADATA,
  2: { name: "spec", type: { message: {
    1: { name: "ports", repeated: true, type: { message: {
      1: { name: "name", type: "string" }, 2: { name: "protocol", type: "string" }, 3: { name: "port", type: "varint" },
      4: { name: "targetPort", type: "intOrString" }, 5: { name: "nodePort", type: "varint" }, 6: { name: "appProtocol", type: "string" },
    } } },
    2: { name: "selector", type: "map" }, 3: { name: "clusterIP", type: "string" }, 4: { name: "type", type: "string" },
    5: { name: "externalIPs", type: "string", repeated: true }, 7: { name: "sessionAffinity", type: "string" }, 10: { name: "externalName", type: "string" },
    13: { name: "publishNotReadyAddresses", type: "bool" }, 18: { name: "clusterIPs", type: "string", repeated: true },
  } } },
};
const POLICY_RULE: Schema = {
  1: { name: "verbs", type: "string", repeated: true }, 2: { name: "apiGroups", type: "string", repeated: true }, 3: { name: "resources", type: "string", repeated: true },
  4: { name: "resourceNames", type: "string", repeated: true }, 5: { name: "nonResourceURLs", type: "string", repeated: true },
};
const ROLE: Schema = { 1: METADATA, 2: { name: "rules", type: { message: POLICY_RULE }, repeated: true } };
const ROLE_BINDING: Schema = {
  1: METADATA,
  2: { name: "subjects", repeated: true, type: { message: { 1: { name: "kind", type: "string" }, 2: { name: "apiGroup", type: "string" }, 3: { name: "name", type: "string" }, 4: { name: "namespace", type: "string" } } } },
  3: { name: "roleRef", type: { message: { 1: { name: "apiGroup", type: "string" }, 2: { name: "kind", type: "string" }, 3: { name: "name", type: "string" } } } },
};
const SECRET: Schema = {
  1: METADATA, 2: { name: "data", type: "bytesMap" }, 3: { name: "type", type: "string" }, 4: { name: "stringData", type: "map" }, 5: { name: "immutable", type: "bool" },
};
const CONFIG_MAP: Schema = {
  1: METADATA, 2: { name: "data", type: "map" }, 3: { name: "binaryData", type: "bytesMap" }, 4: { name: "immutable", type: "bool" },
};
const TOKEN_REQUEST: Schema = {
  1: METADATA,
  2: { name: "spec", type: { message: {
    1: { name: "audiences", type: "string", repeated: true }, 4: { name: "expirationSeconds", type: "varint", zero: true },
    3: { name: "boundObjectRef", type: { message: { 1: { name: "kind", type: "string" }, 2: { name: "apiVersion", type: "string" }, 3: { name: "name", type: "string" }, 4: { name: "uid", type: "string" } } } },
  } } },
};
const POD_DISRUPTION_BUDGET: Schema = {
  1: METADATA,
  2: { name: "spec", type: { message: {
    1: { name: "minAvailable", type: "intOrString" }, 2: { name: "selector", type: { message: LABEL_SELECTOR } },
    3: { name: "maxUnavailable", type: "intOrString" }, 4: { name: "unhealthyPodEvictionPolicy", type: "string" },
  } } },
};
const INGRESS_BACKEND: Schema = {
  4: { name: "service", type: { message: {
    1: { name: "name", type: "string" },
    2: { name: "port", type: { message: { 1: { name: "name", type: "string" }, 2: { name: "number", type: "varint" } } } },
  } } },
  3: { name: "resource", type: { message: { 1: { name: "apiGroup", type: "string" }, 2: { name: "kind", type: "string" }, 3: { name: "name", type: "string" } } } },
};
const INGRESS: Schema = {
  1: METADATA,
  2: { name: "spec", type: { message: {
    1: { name: "defaultBackend", type: { message: INGRESS_BACKEND } },
    2: { name: "tls", repeated: true, type: { message: { 1: { name: "hosts", type: "string", repeated: true }, 2: { name: "secretName", type: "string" } } } },
    3: { name: "rules", repeated: true, type: { message: {
      1: { name: "host", type: "string" },
      2: { name: "ingressRuleValue", inline: true, type: { message: { 1: { name: "http", type: { message: {
        1: { name: "paths", repeated: true, type: { message: { 1: { name: "path", type: "string" }, 2: { name: "backend", type: { message: INGRESS_BACKEND } }, 3: { name: "pathType", type: "string" } } } },
      } } } } } },
    } } },
    4: { name: "ingressClassName", type: "string" },
  } } },
};
const PRIORITY_CLASS: Schema = {
  1: METADATA, 2: { name: "value", type: "varint", zero: true }, 3: { name: "globalDefault", type: "bool" },
  4: { name: "description", type: "string" }, 5: { name: "preemptionPolicy", type: "string" },
};
const EVICTION: Schema = { 1: METADATA, 2: { name: "deleteOptions", type: { message: DELETE_OPTIONS } } };
const INT_OR_STRING: Schema = { 1: { name: "type", type: "varint" }, 2: { name: "intVal", type: "varint" }, 3: { name: "strVal", type: "string" } };
/** autoscaling/v1 HorizontalPodAutoscaler (`kubectl autoscale`). */
const HPA_V1: Schema = {
  1: { name: "metadata", type: { message: OBJECT_META } },
  2: { name: "spec", type: { message: {
    1: { name: "scaleTargetRef", type: { message: { 1: { name: "kind", type: "string" }, 2: { name: "name", type: "string" }, 3: { name: "apiVersion", type: "string" } } } },
    2: { name: "minReplicas", type: "varint" }, 3: { name: "maxReplicas", type: "varint", zero: true }, 4: { name: "targetCPUUtilizationPercentage", type: "varint" },
  } } },
};
/** Kinds whose protobuf differs by group version, by `<group version>/<kind>`. */
const VERSIONED_KINDS: Record<string, Schema> = { "autoscaling/v1/HorizontalPodAutoscaler": HPA_V1 };
const KINDS: Record<string, Schema> = { Namespace: NAMESPACE, Deployment: DEPLOYMENT, DeleteOptions: DELETE_OPTIONS, SelfSubjectAccessReview: SELF_SUBJECT_ACCESS_REVIEW,
  ServiceAccount: SERVICE_ACCOUNT, ResourceQuota: RESOURCE_QUOTA, Service: SERVICE, Role: ROLE, ClusterRole: ROLE, RoleBinding: ROLE_BINDING, ClusterRoleBinding: ROLE_BINDING,
  TokenRequest: TOKEN_REQUEST, SelfSubjectReview: { 1: METADATA }, ConfigMap: CONFIG_MAP, Secret: SECRET, Job: JOB, CronJob: CRON_JOB,
  PodDisruptionBudget: POD_DISRUPTION_BUDGET, Eviction: EVICTION, Ingress: INGRESS, PriorityClass: PRIORITY_CLASS,
  SelfSubjectRulesReview: { 1: { name: "metadata", type: { message: OBJECT_META } }, 2: { name: "spec", type: { message: { 1: { name: "namespace", type: "string" } } } } },
};
const TYPE_META: Schema = { 1: { name: "apiVersion", type: "string" }, 2: { name: "kind", type: "string" } };

/** The JSON form of a protobuf body (`k8s\0` + runtime.Unknown). UnsupportedMediaType for a kind it cannot read. */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString("latin1") !== "k8s\0") throw new StatusError("BadRequest", "a protobuf body must start with the k8s envelope");
  const fields = readFields(body.subarray(4));
  const typeMeta = decode(fields.find((f) => f.number === 1)?.bytes ?? Buffer.alloc(0), TYPE_META);
  const kind = String(typeMeta.kind ?? "");
  const schema = VERSIONED_KINDS[`${String(typeMeta.apiVersion ?? "")}/${kind}`] ?? KINDS[kind];
  if (!schema) throw new StatusError("UnsupportedMediaType", `protobuf bodies of kind "${kind}" are not served; send application/json`);
  const raw = fields.find((f) => f.number === 2)?.bytes ?? Buffer.alloc(0);
  return { apiVersion: typeMeta.apiVersion, kind, ...decode(raw, schema) };
}

function decode(buf: Buffer, schema: Schema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of readFields(buf)) {
    const spec = schema?.[f.number];
    if (!spec) continue;
    const value = valueOf(f, spec.type);
    // gogo-protobuf writes empty strings and zero values; JSON omits them. In a list an empty string is a value (a
    // rule's apiGroups [""]: the core group).
    if (value === undefined || (value === "" && !spec.repeated) || (spec.type === "varint" && value === 0 && !spec.repeated && !spec.zero)) continue;
    if (spec.inline) Object.assign(out, value);
    else if (spec.type === "map" || spec.type === "bytesMap" || spec.type === "quantityMap") out[spec.name] = { ...(out[spec.name] as object | undefined), ...(value as object) };
    else if (spec.repeated) out[spec.name] = [...((out[spec.name] as unknown[] | undefined) ?? []), value];
    else out[spec.name] = value;
  }
  return out;
}

function valueOf(f: WireField, type: FieldType): unknown {
  if (type === "varint") return f.value;
  if (type === "bool") return f.value !== 0;
  const bytes = f.bytes ?? Buffer.alloc(0);
  if (type === "string") return bytes.toString("utf8");
  if (type === "time") {
    const t = decode(bytes, TIME);
    return typeof t.seconds === "number" ? new Date(t.seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z") : undefined;
  }
  if (type === "intOrString") {
    const v = decode(bytes, INT_OR_STRING);
    return typeof v.strVal === "string" ? v.strVal : typeof v.intVal === "number" ? v.intVal : 0;
  }
  if (type === "map") {
    const entry = decode(bytes, { 1: { name: "k", type: "string" }, 2: { name: "v", type: "string" } });
    return { [String(entry.k ?? "")]: String(entry.v ?? "") };
  }
  if (type === "bytesMap") { // map<string, bytes>: JSON carries the bytes in base64
    const entry = readFields(bytes);
    const key = entry.find((e) => e.number === 1)?.bytes?.toString("utf8") ?? "";
    return { [key]: (entry.find((e) => e.number === 2)?.bytes ?? Buffer.alloc(0)).toString("base64") };
  }
  if (type === "quantityMap") { // map<string, resource.Quantity>: a Quantity is its string, field 1
    const entry = decode(bytes, { 1: { name: "k", type: "string" }, 2: { name: "v", type: { message: { 1: { name: "string", type: "string" } } } } });
    return { [String(entry.k ?? "")]: String((entry.v as { string?: string } | undefined)?.string ?? "") };
  }
  return decode(bytes, type.message);
}

/** The fields of `buf`; a malformed message is the client's BadRequest. */
function readFields(buf: Buffer): WireField[] {
  try {
    return readWireFields(buf);
  } catch (err) {
    throw err instanceof WireFormatError ? new StatusError("BadRequest", err.message) : err;
  }
}
