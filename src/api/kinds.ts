/** The resource kinds of the cluster: the plural used in subjects, the Kind name, and whether it lives in a namespace. */

/** Lowercase plural resource names as they appear in subjects and HTTP paths. */
export const RESOURCES = ["namespaces", "pods", "replicationcontrollers", "podtemplates", "nodes", "resourcequotas",
  "leases", "serviceaccounts", "roles", "clusterroles", "rolebindings", "clusterrolebindings", "images", "replicasets", "deployments",
  "services", "endpoints", "endpointslices"] as const;
export type Resource = (typeof RESOURCES)[number];

/** The Kind of each resource and whether it is cluster-scoped (`_` as namespace). */
export const RESOURCE_INFO: Record<Resource, { kind: string; clusterScoped: boolean }> = {
  namespaces: { kind: "Namespace", clusterScoped: true },
  pods: { kind: "Pod", clusterScoped: false },
  replicationcontrollers: { kind: "ReplicationController", clusterScoped: false },
  podtemplates: { kind: "PodTemplate", clusterScoped: false },
  nodes: { kind: "Node", clusterScoped: true },
  resourcequotas: { kind: "ResourceQuota", clusterScoped: false },
  leases: { kind: "Lease", clusterScoped: false },
  serviceaccounts: { kind: "ServiceAccount", clusterScoped: false },
  roles: { kind: "Role", clusterScoped: false },
  clusterroles: { kind: "ClusterRole", clusterScoped: true },
  rolebindings: { kind: "RoleBinding", clusterScoped: false },
  clusterrolebindings: { kind: "ClusterRoleBinding", clusterScoped: true },
  images: { kind: "Image", clusterScoped: true },
  replicasets: { kind: "ReplicaSet", clusterScoped: false },
  deployments: { kind: "Deployment", clusterScoped: false },
  services: { kind: "Service", clusterScoped: false },
  endpoints: { kind: "Endpoints", clusterScoped: false },
  endpointslices: { kind: "EndpointSlice", clusterScoped: false },
};

/** The namespace token of cluster-scoped entities. */
export const CLUSTER_NS = "_";

/** True when `s` is a known resource. Pure. */
export function isResource(s: string): s is Resource {
  return (RESOURCES as readonly string[]).includes(s);
}

/** The resource of a Kind name (`Pod` → `pods`), or undefined. Pure. */
export function resourceOfKind(kind: string): Resource | undefined {
  return RESOURCES.find((r) => RESOURCE_INFO[r].kind === kind);
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
