/** RBAC actors (rbac.authorization.k8s.io/v1): Role, ClusterRole, RoleBinding, ClusterRoleBinding, plain objects. */
import { clusterRole, clusterRoleBinding, role, roleBinding } from "../../api/rbac.js";
import { plainObjectDecider } from "../plainObject/decider.js";

/** The registrations of the four RBAC kinds. */
export const rbacKinds = {
  roles: { decider: plainObjectDecider({ resource: "roles", kind: "Role", clusterScoped: false }), codec: role.codec },
  clusterroles: { decider: plainObjectDecider({ resource: "clusterroles", kind: "ClusterRole", clusterScoped: true }), codec: clusterRole.codec },
  rolebindings: { decider: plainObjectDecider({ resource: "rolebindings", kind: "RoleBinding", clusterScoped: false }), codec: roleBinding.codec },
  clusterrolebindings: { decider: plainObjectDecider({ resource: "clusterrolebindings", kind: "ClusterRoleBinding", clusterScoped: true }), codec: clusterRoleBinding.codec },
};
