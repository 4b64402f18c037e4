/**
 * The registry of resource kinds: for each plural resource name, its Kind, API group and version, scope, the names
 * a user may type for it, the verbs it serves, its categories and subresources. Subjects, the HTTP gateway's
 * discovery, coxctl's name resolution and the JSON/OpenAPI schemas all read this one table; adding a kind is one
 * entry here and one folder of its own.
 */

/** Lowercase plural resource names as they appear in subjects and HTTP paths. */
export const RESOURCES = ["namespaces", "pods", "replicationcontrollers", "podtemplates", "nodes", "resourcequotas", "events",
  "leases", "serviceaccounts", "roles", "clusterroles", "rolebindings", "clusterrolebindings", "images", "replicasets", "deployments",
  "services", "endpoints", "endpointslices", "configmaps", "secrets", "jobs", "cronjobs", "daemonsets", "statefulsets", "controllerrevisions", "poddisruptionbudgets",
  "ingresses", "ingressclasses", "networkpolicies", "priorityclasses", "horizontalpodautoscalers",
  "persistentvolumes", "persistentvolumeclaims", "storageclasses", "limitranges", "runtimeclasses"] as const;
export type Resource = (typeof RESOURCES)[number];

/** A subresource served under an object's path (`pods/log`, `replicationcontrollers/scale`). */
export interface SubresourceInfo {
  /** The last path segment (`log`, `scale`, `status`). */
  name: string;
  /** The Kind it carries, and its group/version when it is not the parent's (`autoscaling/v1` Scale). */
  kind: string;
  group?: string;
  version?: string;
  verbs: readonly string[];
  /** A stream into the object's workload (`pods/exec`, `attach`, `portforward`): an upgraded connection, no command. */
  stream?: true;
}

/** The verbs of a proxy subresource (`pods/proxy`): the HTTP methods it passes on. */
const PROXY_VERBS = ["create", "delete", "get", "patch", "update"] as const;

/** Everything generic code knows about one resource. */
export interface KindInfo {
  kind: string;
  /** Cluster-scoped kinds use `_` as their namespace token. */
  clusterScoped: boolean;
  /** The API group (`""` for the core group served under `/api`) and version. */
  group: string;
  version: string;
  /** The lowercase singular (`pod`) and the short names kubectl accepts (`po`). */
  singular: string;
  shortNames: readonly string[];
  /**
   * Its names are DNS-1123 labels, not subdomains: namespaces and services (they become DNS names), StatefulSets (their
   * pods' host names), and nodes (a limit of Coxswain's: a node's name is a token of its `node.<node>` subject tree).
   */
  labelNames?: boolean;
  /** Older names still understood on the way in (`minions`), never offered in discovery. */
  legacyNames?: readonly string[];
  verbs: readonly string[];
  /** Groupings such as `all` (what `kubectl get all` lists). */
  categories: readonly string[];
  subresources: readonly SubresourceInfo[];
  /** The commands that create, update, delete and scale an object of the kind (none: the verb is not served). */
  commands: { create?: string; update?: string; delete?: string; scale?: string };
  /**
   * For a kind without an update command: the boolean fields an update may still change, each by a command of its
   * own (a node's `spec.unschedulable`: CordonNode / UncordonNode, what `kubectl cordon` patches).
   */
  toggles?: readonly { path: string; on: string; off: string }[];
  /**
   * For such a kind: the fields an update may also set, each group by a command of its own that takes them (nested as
   * in the object, an absent one as its empty value): a node's labels and annotations (SetNodeMetadata, what
   * `kubectl label|annotate node` patch) and its taints (SetNodeTaints, `kubectl taint`).
   */
  setters?: readonly { command: string; fields: Readonly<Record<string, unknown>> }[];
  /**
   * Its objects go with their namespace without being deleted one by one (Events: the read model drops a deleted
   * namespace's with it), so the namespace controller leaves them out.
   */
  goesWithNamespace?: true;
  /**
   * Its events' data are stored encrypted (src/events/sealing.ts), and only the control plane, admins and RBAC's
   * grants read it: the viewer's role may not (Kubernetes' `view` role leaves Secrets out too).
   */
  sealed?: boolean;
}

/** The verbs of a kind that users can write as well as read. */
export const WRITABLE_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] as const;

const core = (info: Omit<KindInfo, "group" | "version" | "verbs" | "categories" | "subresources" | "commands"> & Partial<KindInfo>): KindInfo => ({
  group: "", version: "v1", verbs: WRITABLE_VERBS, categories: [], subresources: [],
  commands: { create: `Create${info.kind}`, update: `Update${info.kind}`, delete: `Delete${info.kind}` }, ...info,
});

/** A kind of a named API group at v1. */
const group = (name: string, info: Parameters<typeof core>[0]): KindInfo => ({ ...core(info), group: name, ...(info.version ? { version: info.version } : {}) });

/** The registry: every resource's KindInfo. */
export const RESOURCE_INFO: Record<Resource, KindInfo> = {
  namespaces: core({ kind: "Namespace", clusterScoped: true, singular: "namespace", shortNames: ["ns"], labelNames: true,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: [{ name: "status", kind: "Namespace", verbs: ["get"] }] }),
  pods: core({ kind: "Pod", clusterScoped: false, singular: "pod", shortNames: ["po"], categories: ["all"],
    subresources: [
      { name: "attach", kind: "PodAttachOptions", verbs: ["create", "get"], stream: true },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
      { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"], stream: true },
      { name: "log", kind: "Pod", verbs: ["get"] },
      { name: "portforward", kind: "PodPortForwardOptions", verbs: ["create", "get"], stream: true },
      { name: "proxy", kind: "PodProxyOptions", verbs: PROXY_VERBS, stream: true }, { name: "status", kind: "Pod", verbs: ["get"] },
    ] }),
  replicationcontrollers: core({ kind: "ReplicationController", clusterScoped: false, singular: "replicationcontroller", shortNames: ["rc"], categories: ["all"],
    subresources: [
      { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
      { name: "status", kind: "ReplicationController", verbs: ["get"] },
    ],
    commands: { create: "CreateReplicationController", update: "UpdateReplicationController", delete: "DeleteReplicationController", scale: "ScaleReplicationController" } }),
  podtemplates: core({ kind: "PodTemplate", clusterScoped: false, singular: "podtemplate", shortNames: [] }),
  nodes: core({ kind: "Node", clusterScoped: true, singular: "node", shortNames: ["no"], legacyNames: ["minion", "minions"], labelNames: true,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], commands: { create: "RegisterNode", delete: "DeleteNode" },
    toggles: [{ path: "spec.unschedulable", on: "CordonNode", off: "UncordonNode" }], 
    setters: [
      { command: "SetNodeMetadata", fields: { "metadata.labels": {}, "metadata.annotations": {} } },
      { command: "SetNodeTaints", fields: { "spec.taints": [] } },
    ],
    subresources: [{ name: "status", kind: "Node", verbs: ["get"] }] }),
  // Pods and claims are admitted under their namespace's ranges (src/actors/limitRange).
  limitranges: core({ kind: "LimitRange", clusterScoped: false, singular: "limitrange", shortNames: ["limits"] }),
  resourcequotas: core({ kind: "ResourceQuota", clusterScoped: false, singular: "resourcequota", shortNames: ["quota"],
    subresources: [{ name: "status", kind: "ResourceQuota", verbs: ["get"] }] }),
  // Derived from the event stream by the read model (src/projections/kubeEvents), and written by clients (src/actors/event).
  events: core({ kind: "Event", clusterScoped: false, singular: "event", shortNames: ["ev"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    goesWithNamespace: true }),
  leases: group("coordination.k8s.io", { kind: "Lease", clusterScoped: false, singular: "lease", shortNames: [] }),
  serviceaccounts: core({ kind: "ServiceAccount", clusterScoped: false, singular: "serviceaccount", shortNames: ["sa"],
    subresources: [{ name: "token", kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"] }] }),
  roles: group("rbac.authorization.k8s.io", { kind: "Role", clusterScoped: false, singular: "role", shortNames: [] }),
  clusterroles: group("rbac.authorization.k8s.io", { kind: "ClusterRole", clusterScoped: true, singular: "clusterrole", shortNames: [] }),
  rolebindings: group("rbac.authorization.k8s.io", { kind: "RoleBinding", clusterScoped: false, singular: "rolebinding", shortNames: [] }),
  clusterrolebindings: group("rbac.authorization.k8s.io", { kind: "ClusterRoleBinding", clusterScoped: true, singular: "clusterrolebinding", shortNames: [] }),
  images: group("coxswain.io", { kind: "Image", clusterScoped: true, singular: "image", shortNames: ["img"] }),
  replicasets: group("apps", { kind: "ReplicaSet", clusterScoped: false, singular: "replicaset", shortNames: ["rs"], categories: ["all"],
    subresources: [
      { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
      { name: "status", kind: "ReplicaSet", verbs: ["get"] },
    ],
    commands: { create: "CreateReplicaSet", update: "UpdateReplicaSet", delete: "DeleteReplicaSet", scale: "ScaleReplicaSet" } }),
  deployments: group("apps", { kind: "Deployment", clusterScoped: false, singular: "deployment", shortNames: ["deploy"], categories: ["all"],
    subresources: [
      { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
      { name: "status", kind: "Deployment", verbs: ["get"] },
    ],
    commands: { create: "CreateDeployment", update: "UpdateDeployment", delete: "DeleteDeployment", scale: "ScaleDeployment" } }),
  services: core({ kind: "Service", clusterScoped: false, singular: "service", shortNames: ["svc"], categories: ["all"], labelNames: true,
    subresources: [{ name: "proxy", kind: "ServiceProxyOptions", verbs: PROXY_VERBS, stream: true }, { name: "status", kind: "Service", verbs: ["get"] }] }),
  endpoints: core({ kind: "Endpoints", clusterScoped: false, singular: "endpoints", shortNames: ["ep"] }),
  endpointslices: group("discovery.k8s.io", { kind: "EndpointSlice", clusterScoped: false, singular: "endpointslice", shortNames: [] }),
  configmaps: core({ kind: "ConfigMap", clusterScoped: false, singular: "configmap", shortNames: ["cm"] }),
  secrets: core({ kind: "Secret", clusterScoped: false, singular: "secret", shortNames: [], sealed: true }),
  jobs: group("batch", { kind: "Job", clusterScoped: false, singular: "job", shortNames: [], categories: ["all"],
    subresources: [{ name: "status", kind: "Job", verbs: ["get"] }] }),
  cronjobs: group("batch", { kind: "CronJob", clusterScoped: false, singular: "cronjob", shortNames: ["cj"], categories: ["all"],
    subresources: [{ name: "status", kind: "CronJob", verbs: ["get"] }] }),
  daemonsets: group("apps", { kind: "DaemonSet", clusterScoped: false, singular: "daemonset", shortNames: ["ds"], categories: ["all"],
    subresources: [{ name: "status", kind: "DaemonSet", verbs: ["get"] }] }),
  statefulsets: group("apps", { kind: "StatefulSet", clusterScoped: false, singular: "statefulset", shortNames: ["sts"], categories: ["all"], labelNames: true,
    subresources: [
      { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
      { name: "status", kind: "StatefulSet", verbs: ["get"] },
    ],
    commands: { create: "CreateStatefulSet", update: "UpdateStatefulSet", delete: "DeleteStatefulSet", scale: "ScaleStatefulSet" } }),
  controllerrevisions: group("apps", { kind: "ControllerRevision", clusterScoped: false, singular: "controllerrevision", shortNames: [] }),
  poddisruptionbudgets: group("policy", { kind: "PodDisruptionBudget", clusterScoped: false, singular: "poddisruptionbudget", shortNames: ["pdb"],
    subresources: [{ name: "status", kind: "PodDisruptionBudget", verbs: ["get"] }] }),
  // Stored and served; nothing here acts on them (no ingress controller, no policy-enforcing network plugin).
  ingresses: group("networking.k8s.io", { kind: "Ingress", clusterScoped: false, singular: "ingress", shortNames: ["ing"],
    subresources: [{ name: "status", kind: "Ingress", verbs: ["get"] }] }),
  ingressclasses: group("networking.k8s.io", { kind: "IngressClass", clusterScoped: true, singular: "ingressclass", shortNames: [] }),
  networkpolicies: group("networking.k8s.io", { kind: "NetworkPolicy", clusterScoped: false, singular: "networkpolicy", shortNames: ["netpol"] }),
  // A pod's priorityClassName is resolved into its priority when it is created (src/actors/pod/priority.ts); nothing preempts.
  priorityclasses: group("scheduling.k8s.io", { kind: "PriorityClass", clusterScoped: true, singular: "priorityclass", shortNames: ["pc"] }),
  horizontalpodautoscalers: group("autoscaling", { kind: "HorizontalPodAutoscaler", version: "v2", clusterScoped: false, singular: "horizontalpodautoscaler", shortNames: ["hpa"],
    categories: ["all"], subresources: [{ name: "status", kind: "HorizontalPodAutoscaler", verbs: ["get"] }] }),
  // Stored and served; the persistent volume controller (src/controllers/persistentVolume) provisions and binds them.
  persistentvolumes: core({ kind: "PersistentVolume", clusterScoped: true, singular: "persistentvolume", shortNames: ["pv"],
    subresources: [{ name: "status", kind: "PersistentVolume", verbs: ["get"] }] }),
  persistentvolumeclaims: core({ kind: "PersistentVolumeClaim", clusterScoped: false, singular: "persistentvolumeclaim", shortNames: ["pvc"],
    subresources: [{ name: "status", kind: "PersistentVolumeClaim", verbs: ["get"] }] }),
  storageclasses: group("storage.k8s.io", { kind: "StorageClass", clusterScoped: true, singular: "storageclass", shortNames: ["sc"] }),
  // A pod naming one is admitted under it (src/actors/runtimeClass); the nodes run every pod alike, whatever its handler.
  runtimeclasses: group("node.k8s.io", { kind: "RuntimeClass", clusterScoped: true, singular: "runtimeclass", shortNames: [] }),
};

/** The namespace token of cluster-scoped entities. */
export const CLUSTER_NS = "_";

/** True when `s` is a known resource. Pure. */
export function isResource(s: string): s is Resource {
  return (RESOURCES as readonly string[]).includes(s);
}

/** Each Kind name's resource, the first that has it (the gateway looks one up for every object it shows). */
let byKind: Map<string, Resource> | undefined;

/** The resource of a Kind name (`Pod` → `pods`), or undefined. Pure. */
export function resourceOfKind(kind: string): Resource | undefined {
  byKind ??= new Map([...RESOURCES].reverse().map((r) => [RESOURCE_INFO[r].kind, r]));
  return byKind.get(kind);
}

/** `v1` for the core group, `<group>/<version>` otherwise: an object's `apiVersion`. Pure. */
export function apiVersionOf(info: { group: string; version: string }): string {
  return info.group === "" ? info.version : `${info.group}/${info.version}`;
}

/** The address of one entity: its resource, namespace (`_` when cluster-scoped) and name. */
export interface EntityRef {
  resource: Resource;
  namespace: string;
  name: string;
}

/** `pods/default/web-1`, for logs and messages. Pure. */
export function refString(ref: EntityRef): string {
  return `${ref.resource}/${ref.namespace}/${ref.name}`;
}
