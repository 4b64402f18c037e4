/**
 * The ClusterRoles every Kubernetes cluster has, as its RBAC bootstrap makes them, for the kinds Coxswain serves:
 * `cluster-admin` (everything), `admin` (everything in a namespace, its Roles and RoleBindings too), `edit` (the
 * namespace's objects, Secrets included, but not its Roles), `view` (read the namespace's objects but Secrets).
 * Kubernetes builds the last three by aggregation; here their rules are written out. Pure data.
 */
import type { PolicyRule } from "../../api/rbac.js";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];

/** What `view` may read, by API group. */
const VIEWED: Record<string, string[]> = {
  "": ["pods", "pods/log", "pods/status", "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status",
    "services", "services/status", "endpoints", "configmaps", "serviceaccounts", "resourcequotas", "resourcequotas/status",
    "namespaces", "namespaces/status", "events", "podtemplates", "persistentvolumeclaims", "persistentvolumeclaims/status", "limitranges"],
  apps: ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets",
    "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"],
  batch: ["jobs", "jobs/status", "cronjobs", "cronjobs/status"],
  policy: ["poddisruptionbudgets", "poddisruptionbudgets/status"],
  autoscaling: ["horizontalpodautoscalers", "horizontalpodautoscalers/status"],
  "networking.k8s.io": ["ingresses", "ingresses/status", "networkpolicies"],
  "discovery.k8s.io": ["endpointslices"],
  "events.k8s.io": ["events"],
};

/** What `edit` may change, by API group. */
const EDITED: Record<string, string[]> = {
  "": ["pods", "pods/eviction", "replicationcontrollers", "replicationcontrollers/scale", "services", "endpoints", "configmaps", "secrets", "serviceaccounts", "podtemplates", "persistentvolumeclaims"],
  apps: ["daemonsets", "deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"],
  batch: ["jobs", "cronjobs"],
  policy: ["poddisruptionbudgets"],
  autoscaling: ["horizontalpodautoscalers"],
  "networking.k8s.io": ["ingresses", "networkpolicies"],
  "coordination.k8s.io": ["leases"],
};

const rules = (byGroup: Record<string, string[]>, verbs: string[]): PolicyRule[] =>
  Object.entries(byGroup).map(([group, resources]) => ({ apiGroups: [group], resources, verbs }));

const view: PolicyRule[] = rules(VIEWED, READ);
const edit: PolicyRule[] = [
  ...view,
  ...rules(EDITED, WRITE),
  { apiGroups: [""], resources: ["secrets"], verbs: READ },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: READ },
  { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
];
const admin: PolicyRule[] = [
  ...edit,
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: [...READ, ...WRITE] },
  { apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"], verbs: ["create"] },
];

/** The bootstrap ClusterRoles, by name. */
export const BOOTSTRAP_CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }],
  admin,
  edit,
  view,
};

/** The labels and annotations Kubernetes gives its bootstrap roles. */
export const BOOTSTRAP_METADATA = {
  labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
  annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
};
