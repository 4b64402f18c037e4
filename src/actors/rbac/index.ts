/** RBAC actors (rbac.authorization.k8s.io/v1): Role, ClusterRole, RoleBinding, ClusterRoleBinding, plain objects. */
import { clusterRole, clusterRoleBinding, role, roleBinding } from "../../api/rbac.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The registrations of the four RBAC kinds. */
export const rbacKinds = {
  roles: plainObjectKind(plainObjectDecider({ resource: "roles", kind: "Role", clusterScoped: false }), role.codec),
  clusterroles: plainObjectKind(plainObjectDecider({ resource: "clusterroles", kind: "ClusterRole", clusterScoped: true }), clusterRole.codec),
  rolebindings: plainObjectKind(plainObjectDecider({ resource: "rolebindings", kind: "RoleBinding", clusterScoped: false }), roleBinding.codec),
  clusterrolebindings: plainObjectKind(plainObjectDecider({ resource: "clusterrolebindings", kind: "ClusterRoleBinding", clusterScoped: true }), clusterRoleBinding.codec),
};
