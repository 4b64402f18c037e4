/**
 * The patch metadata of each kind, as data: which lists merge item by item (and by which key), which are sets,
 * which are replaced whole. Kubernetes keeps it in Go struct tags (`patchStrategy`, `patchMergeKey`) for strategic
 * merge and in `+listType`/`+listMapKey` markers for server-side apply; this table holds both, by field path.
 */

/** How server-side apply treats a list: items keyed by `keys`, a set of scalars, or one atomic value. */
export type ListType = "map" | "set" | "atomic";

/** The metadata of one list field. */
export interface ListMeta {
  /** Strategic merge: `merge` merges items (by `mergeKey` for objects, as a set for scalars); `replace` takes the patch's list. */
  readonly strategy: "merge" | "replace";
  /** Strategic merge: the field that names an item of a list of objects. */
  readonly mergeKey?: string;
  /** Server-side apply: the list's type. */
  readonly listType: ListType;
  /** Server-side apply: the fields that together name an item of a `map` list. */
  readonly keys?: readonly string[];
  /** Server-side apply: values of key fields an item may omit (a port's `protocol` is `TCP`). */
  readonly keyDefaults?: Readonly<Record<string, unknown>>;
}

/**
 * Patch metadata by field path. A path joins field names with `.`, and a list's items are entered with `[]`:
 * `spec.containers` is the list, `spec.containers[].ports` a list inside each of its items. Lists not in the
 * table are replaced whole by strategic merge and atomic for apply, as Kubernetes does for untagged fields.
 */
export type PatchMetaTable = Readonly<Record<string, ListMeta>>;

/** A list of objects merged by `mergeKey` (apply keys default to the merge key). */
const byKey = (mergeKey: string, keys: readonly string[] = [mergeKey], keyDefaults?: Record<string, unknown>): ListMeta => ({
  strategy: "merge", mergeKey, listType: "map", keys, ...(keyDefaults ? { keyDefaults } : {}),
});
const TCP = { protocol: "TCP" };
/** A list of scalars merged as a set. */
const asSet: ListMeta = { strategy: "merge", listType: "set" };
/** A list that apply treats as a map but strategic merge replaces whole (no patch tags). */
const applyMapOnly = (keys: readonly string[]): ListMeta => ({ strategy: "replace", listType: "map", keys });

/** Every table entry of `table` moved under `prefix` (the same metadata at another place in an object). Pure. */
export function under(prefix: string, table: PatchMetaTable): PatchMetaTable {
  return Object.fromEntries(Object.entries(table).map(([path, meta]) => [`${prefix}.${path}`, meta]));
}

const CONTAINER: PatchMetaTable = {
  ports: byKey("containerPort", ["containerPort", "protocol"], TCP),
  env: byKey("name"),
  volumeMounts: byKey("mountPath"),
  volumeDevices: byKey("devicePath"),
  "resources.claims": applyMapOnly(["name"]),
};

/** core/v1 PodSpec. */
export const POD_SPEC: PatchMetaTable = {
  containers: byKey("name"),
  ...under("containers[]", CONTAINER),
  initContainers: byKey("name"),
  ...under("initContainers[]", CONTAINER),
  ephemeralContainers: byKey("name"),
  ...under("ephemeralContainers[]", CONTAINER),
  volumes: byKey("name"),
  imagePullSecrets: byKey("name"),
  hostAliases: byKey("ip"),
  topologySpreadConstraints: byKey("topologyKey", ["topologyKey", "whenUnsatisfiable"]),
  schedulingGates: byKey("name"),
  resourceClaims: byKey("name"),
};

/** core/v1 PodStatus. */
const POD_STATUS: PatchMetaTable = {
  conditions: byKey("type"),
  podIPs: byKey("ip"),
  hostIPs: { strategy: "merge", mergeKey: "ip", listType: "atomic" },
  resourceClaimStatuses: byKey("name"),
};

/** meta/v1 ObjectMeta. */
export const OBJECT_META: PatchMetaTable = { finalizers: asSet, ownerReferences: byKey("uid") };

/** core/v1 PodTemplateSpec (metadata and a pod spec). */
export const POD_TEMPLATE_SPEC: PatchMetaTable = { ...under("metadata", OBJECT_META), ...under("spec", POD_SPEC) };

const CONDITIONS: PatchMetaTable = { conditions: byKey("type") };
const META = under("metadata", OBJECT_META);
/** A workload whose spec holds a pod template (ReplicationController, ReplicaSet, Deployment, Job, DaemonSet, StatefulSet). */
const WORKLOAD: PatchMetaTable = { ...META, ...under("spec.template", POD_TEMPLATE_SPEC), ...under("status", CONDITIONS) };

/** The apiVersion of each kind outside core v1. */
const API_VERSIONS = new Map<string, string>([["Deployment", "apps/v1"], ["ReplicaSet", "apps/v1"], ["DaemonSet", "apps/v1"], ["StatefulSet", "apps/v1"], ["Job", "batch/v1"], ["CronJob", "batch/v1"]]);

const TABLES = new Map<string, PatchMetaTable>([
  ["Pod", { ...META, ...under("spec", POD_SPEC), ...under("status", POD_STATUS) }],
  ["PodTemplate", { ...META, ...under("template", POD_TEMPLATE_SPEC) }],
  ["ReplicationController", WORKLOAD],
  ["ReplicaSet", WORKLOAD],
  ["Deployment", WORKLOAD],
  ["Job", WORKLOAD],
  ["DaemonSet", WORKLOAD],
  ["StatefulSet", WORKLOAD],
  ["CronJob", { ...META, ...under("spec.jobTemplate.spec.template", POD_TEMPLATE_SPEC) }],
  ["Node", { ...META, "spec.podCIDRs": asSet, "status.conditions": byKey("type"), "status.addresses": byKey("type") }],
  ["Namespace", { ...META, ...under("status", CONDITIONS) }],
  ["Service", { ...META, "spec.ports": byKey("port", ["port", "protocol"], TCP), ...under("status", CONDITIONS) }],
  ["Endpoints", META],
]);

/**
 * Registers the patch metadata and apiVersion of a kind (a kind's folder calls this for a kind the table above
 * lacks; a second registration replaces the first).
 */
export function registerPatchMeta(kind: string, table: PatchMetaTable, apiVersion = "v1"): void {
  TABLES.set(kind, { ...META, ...table });
  API_VERSIONS.set(kind, apiVersion);
}

/** The patch metadata of a kind; an unknown kind gets only the ObjectMeta lists (every other list is atomic). */
export function patchMetaFor(kind: string): PatchMetaTable {
  return TABLES.get(kind) ?? META;
}

/** The apiVersion a kind is served at (server-side apply checks the applied configuration against it). */
export function apiVersionFor(kind: string): string {
  return API_VERSIONS.get(kind) ?? "v1";
}

/** The path of field `key` inside the object at `path`. Pure. */
export function fieldPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** The path of the items of the list at `path`. Pure. */
export function itemPath(path: string): string {
  return `${path}[]`;
}
