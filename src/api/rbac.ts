/**
 * rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding, as Kubernetes spells them.
 * The schemas of what a client sends; the authorizer (src/auth/rbac) reads the same shapes.
 */
import { z } from "zod";
import { ageColumn, column, createdAtColumn, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";

/** The API group of the RBAC kinds. */
export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** One rule of a role: verbs on resources of API groups (optionally by name), or on non-resource URLs. */
export const PolicyRule = z.strictObject({
  verbs: z.array(z.string().min(1)).min(1, "verbs must name at least one verb"),
  apiGroups: z.array(z.string()).optional(),
  resources: z.array(z.string().min(1)).optional(),
  resourceNames: z.array(z.string().min(1)).optional(),
  nonResourceURLs: z.array(z.string().min(1)).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

/** Who a binding grants to: a user, a group, or a service account (namespace defaults to the binding's). */
export const Subject = z.strictObject({
  kind: z.enum(["User", "Group", "ServiceAccount"]),
  name: z.string().min(1),
  namespace: z.string().optional(),
  apiGroup: z.string().optional(),
});
export type Subject = z.infer<typeof Subject>;

/** The role a binding refers to; it may not exist (then the binding grants nothing). */
export const RoleRef = z.strictObject({
  apiGroup: z.literal(RBAC_GROUP),
  kind: z.enum(["Role", "ClusterRole"]),
  name: z.string().min(1),
});
export type RoleRef = z.infer<typeof RoleRef>;

/** The rules of a Role or ClusterRole. */
export const RoleRules = z.array(PolicyRule);

/** What a (Cluster)RoleBinding says: its subjects and its role. */
export const BindingFields = z.strictObject({ subjects: z.array(Subject).optional(), roleRef: RoleRef });
export type BindingFields = z.infer<typeof BindingFields>;

/** Role: rules within one namespace. */
export const role = groupKindCodec({
  resource: "roles", kind: "Role", apiVersion: `${RBAC_GROUP}/v1`, clusterScoped: false, fields: { rules: RoleRules.optional() },
});
/** ClusterRole: rules cluster-wide (or, through a RoleBinding, within one namespace). */
export const clusterRole = groupKindCodec({
  resource: "clusterroles", kind: "ClusterRole", apiVersion: `${RBAC_GROUP}/v1`, clusterScoped: true,
  fields: { rules: RoleRules.optional(), aggregationRule: z.looseObject({}).optional() },
});
/** RoleBinding: grants a Role or ClusterRole within its namespace. */
export const roleBinding = groupKindCodec({
  resource: "rolebindings", kind: "RoleBinding", apiVersion: `${RBAC_GROUP}/v1`, clusterScoped: false,
  fields: { subjects: z.array(Subject).optional(), roleRef: RoleRef },
});
/** ClusterRoleBinding: grants a ClusterRole everywhere. */
export const clusterRoleBinding = groupKindCodec({
  resource: "clusterrolebindings", kind: "ClusterRoleBinding", apiVersion: `${RBAC_GROUP}/v1`, clusterScoped: true,
  fields: { subjects: z.array(Subject).optional(), roleRef: RoleRef.extend({ kind: z.literal("ClusterRole", { error: "a ClusterRoleBinding may only refer to a ClusterRole" }) }) },
});

const createdAt = createdAtColumn("The time the role was created.");
type Binding = { roleRef: RoleRef; subjects?: Subject[] };
const subjectsOf = (kind: Subject["kind"]) => (o: Binding) => (o.subjects ?? []).filter((s) => s.kind === kind).map((s) => (s.namespace ? `${s.namespace}/${s.name}` : s.name)).join(", ");
/** Role and ClusterRole columns: NAME CREATED AT. */
export const roleColumns = [nameColumn(), createdAt];
/** RoleBinding and ClusterRoleBinding columns: NAME ROLE AGE (+ USERS GROUPS SERVICEACCOUNTS). */
export const bindingColumns = [
  nameColumn(),
  column<Binding>("Role", "string", 0, "The role the binding grants.", (o) => `${o.roleRef.kind}/${o.roleRef.name}`),
  ageColumn(),
  column<Binding>("Users", "string", 1, "Users of the binding.", subjectsOf("User")),
  column<Binding>("Groups", "string", 1, "Groups of the binding.", subjectsOf("Group")),
  column<Binding>("ServiceAccounts", "string", 1, "Service accounts of the binding.", subjectsOf("ServiceAccount")),
];
