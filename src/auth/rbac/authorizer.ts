/**
 * The RBAC authorizer: from the roles and bindings that exist to "may this user do this?". A RoleBinding grants
 * its role's rules in its own namespace (to a Role of that namespace or a ClusterRole); a ClusterRoleBinding grants
 * a ClusterRole's rules everywhere. A binding to a role that does not exist grants nothing. Pure: the caller keeps
 * the policy up to date (the read model) and asks.
 */
import type { BindingFields, PolicyRule, Subject } from "../../api/rbac.js";
import { rulesAllow, type RequestAttributes } from "./rules.js";

/** Who is asking: a user name and its groups (a service account is `system:serviceaccount:<ns>:<name>`). */
export interface UserInfo {
  name: string;
  groups: readonly string[];
}

/** The RBAC objects the decision reads. Roles and bindings are keyed `<namespace>/<name>`, cluster ones by name. */
export interface RbacPolicy {
  roles: ReadonlyMap<string, readonly PolicyRule[]>;
  clusterRoles: ReadonlyMap<string, readonly PolicyRule[]>;
  roleBindings: readonly (BindingFields & { namespace: string })[];
  clusterRoleBindings: readonly BindingFields[];
}

const SA_PREFIX = "system:serviceaccount:";

/** The user a service account's token authenticates as, with Kubernetes' groups. Pure. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return { name: `${SA_PREFIX}${namespace}:${name}`, groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"] };
}

/** True when `subject` of a binding in `bindingNamespace` (undefined: a ClusterRoleBinding) names `user`. Pure. */
export function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case "User": return subject.name === user.name;
    case "Group": return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const ns = subject.namespace ?? bindingNamespace;
      return ns !== undefined && user.name === `${SA_PREFIX}${ns}:${subject.name}`;
    }
    default: { const never: never = subject.kind; return never; }
  }
}

function rulesOf(policy: RbacPolicy, b: BindingFields, namespace: string | undefined): readonly PolicyRule[] {
  if (b.roleRef.kind === "ClusterRole") return policy.clusterRoles.get(b.roleRef.name) ?? [];
  return namespace === undefined ? [] : policy.roles.get(`${namespace}/${b.roleRef.name}`) ?? [];
}

/** The rules that apply to `user` in `namespace` (undefined: cluster-wide rules only). Pure. */
export function rulesFor(policy: RbacPolicy, user: UserInfo, namespace: string | undefined): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const b of policy.clusterRoleBindings) {
    if ((b.subjects ?? []).some((s) => subjectMatches(s, user, undefined))) out.push(...rulesOf(policy, b, undefined));
  }
  if (namespace === undefined) return out;
  for (const b of policy.roleBindings) {
    if (b.namespace !== namespace) continue;
    if ((b.subjects ?? []).some((s) => subjectMatches(s, user, b.namespace))) out.push(...rulesOf(policy, b, b.namespace));
  }
  return out;
}

/** True when RBAC allows `user` to do `req` (a namespaced request also sees its namespace's RoleBindings). Pure. */
export function rbacAllows(policy: RbacPolicy, user: UserInfo, req: RequestAttributes): boolean {
  const ns = req.resourceRequest ? req.namespace : undefined;
  return rulesAllow(rulesFor(policy, user, ns), req);
}
