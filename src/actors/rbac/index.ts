/**
 * RBAC actors (rbac.authorization.k8s.io/v1): Role, ClusterRole, RoleBinding, ClusterRoleBinding, plain objects;
 * Kubernetes' bootstrap ClusterRoles (cluster-admin, admin, edit, view) exist from the start.
 */
import { clusterRole, clusterRoleBinding, role, roleBinding } from "../../api/rbac.js";
import { BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_METADATA } from "../../auth/rbac/bootstrapRoles.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { bootstrapObject } from "../bootstrap.js";

/** The registrations of the four RBAC kinds. */
export const rbacKinds = {
  roles: plainObjectKind(plainObjectDecider({ resource: "roles", kind: "Role", clusterScoped: false }), role.codec),
  clusterroles: {
    ...plainObjectKind(plainObjectDecider({ resource: "clusterroles", kind: "ClusterRole", clusterScoped: true }), clusterRole.codec),
    bootstrap: Object.entries(BOOTSTRAP_CLUSTER_ROLES).map(([name, rules]) => bootstrapObject("clusterroles", { metadata: { name, ...BOOTSTRAP_METADATA }, rules })),
  },
  rolebindings: plainObjectKind(plainObjectDecider({ resource: "rolebindings", kind: "RoleBinding", clusterScoped: false }), roleBinding.codec),
  clusterrolebindings: plainObjectKind(plainObjectDecider({ resource: "clusterrolebindings", kind: "ClusterRoleBinding", clusterScoped: true }), clusterRoleBinding.codec),
};
