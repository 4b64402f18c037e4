/**
 * The door of service accounts: a pod's bearer token (signed by the cluster's service-account key) names
 * `system:serviceaccount:<ns>:<name>`, and RBAC decides what it may do from the Roles, ClusterRoles and bindings in
 * the read model, as Kubernetes' RBAC authorizer does. Its writes go out as commands on the users' tree, sent by
 * the API process for it once RBAC has allowed them. Other tokens are left to the users' door. A request that
 * impersonates a user (`kubectl --as`, allowed to the admin only) is judged by RBAC as that user. A token made by a
 * TokenRequest is refused once expired, when it is not meant for this API (its audiences), and once the account or
 * the pod it names is gone or made again (another uid), as Kubernetes refuses it.
 */
import type { IncomingMessage } from "node:http";
import type { BindingFields, PolicyRule } from "../api/rbac.js";
import { forbidden } from "../auth/authorize.js";
import { rbacAllows, rulesFor, serviceAccountUser, type RbacPolicy, type UserInfo } from "../auth/rbac/authorizer.js";
import { verifyServiceAccountToken, type ServiceAccountClaims } from "../auth/serviceAccountToken.js";
import { bearerToken } from "../auth/tokens.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { ReadService } from "../projections/readService.js";
import type { Caller, CallerResolver, RequestedAccess } from "./caller.js";
import { impersonating } from "./impersonation.js";
import { API_AUDIENCE } from "./tokenRequest.js";

type Named = { metadata: { name: string; namespace?: string } };

/** The RBAC objects of the read model, as the authorizer reads them. */
export function policyOf(service: ReadService): RbacPolicy {
  const all = <T>(resource: "roles" | "clusterroles" | "rolebindings" | "clusterrolebindings") =>
    service.list({ resource, namespace: resource.startsWith("cluster") ? "_" : null }, {}).items as unknown as (T & Named)[];
  return {
    roles: new Map(all<{ rules?: PolicyRule[] }>("roles").map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r.rules ?? []])),
    clusterRoles: new Map(all<{ rules?: PolicyRule[] }>("clusterroles").map((r) => [r.metadata.name, r.rules ?? []])),
    roleBindings: all<BindingFields>("rolebindings").map((b) => ({ ...b, namespace: b.metadata.namespace ?? "" })),
    clusterRoleBindings: all<BindingFields>("clusterrolebindings"),
  };
}

/** True when RBAC (`policy`) lets `user` make the request. Pure. */
export function rbacAuthorizes(policy: RbacPolicy, user: UserInfo, attrs: RequestedAccess): boolean {
  return rbacAllows(policy, user, {
    resourceRequest: true, verb: attrs.verb, apiGroup: attrs.apiGroup ?? "", resource: attrs.resource,
    ...(attrs.subresource ? { subresource: attrs.subresource } : {}), ...(attrs.namespace ? { namespace: attrs.namespace } : {}), ...(attrs.name ? { name: attrs.name } : {}),
  });
}

/** RBAC's callers: by a service account's token, or as any user (impersonation). */
export interface ServiceAccountAuthority {
  /** The caller a service-account token names, or null when the token is not one this cluster signed. */
  callerOfToken(token: string): Caller | null;
  rbacCaller(user: UserInfo, credentials?: Pick<Caller, "uid" | "extra">): Caller;
}

/** RBAC over the read model's roles and bindings; `sender` carries the allowed writes (on the users' tree). */
export function serviceAccountAuthority(key: Buffer, service: ReadService, sender: CommandSender): ServiceAccountAuthority {
  // The policy changes only with the read model: built again only when it has applied something new.
  let cached: { sequence: number; policy: RbacPolicy } | undefined;
  const policy = () => {
    const sequence = service.runner.model.sequence;
    if (cached?.sequence !== sequence) cached = { sequence, policy: policyOf(service) };
    return cached.policy;
  };
  const rbacCaller = (user: UserInfo, credentials: Pick<Caller, "uid" | "extra"> = {}): Caller => ({
    user: user.name,
    groups: user.groups,
    ...credentials,
    authorize(attrs) {
      if (!rbacAuthorizes(policy(), user, attrs)) throw forbidden({ user: user.name }, attrs);
    },
    sender: () => sender,
    rules: (namespace) => rulesFor(policy(), user, namespace),
  });
  return {
    rbacCaller,
    callerOfToken(token) {
      const claims = verifyServiceAccountToken(key, token);
      if (!claims || !stillBound(service, claims)) return null;
      const pod = claims.pod ? { extra: { "authentication.kubernetes.io/pod-name": [claims.pod.name], "authentication.kubernetes.io/pod-uid": [claims.pod.uid] } } : {};
      return rbacCaller(serviceAccountUser(claims.namespace, claims.name), { ...(claims.uid ? { uid: claims.uid } : {}), ...pod });
    },
  };
}

/** A door that admits service-account tokens, else asks `users`. */
export function serviceAccountDoor(authority: ServiceAccountAuthority, users: CallerResolver): CallerResolver {
  const authenticated = (req: IncomingMessage): Caller | null => {
    const fromUsers = users.callerOf(req);
    if (fromUsers) return fromUsers;
    const token = bearerToken(req.headers.authorization);
    return token ? authority.callerOfToken(token) : null;
  };
  return {
    callerOf(req: IncomingMessage): Caller | null {
      const caller = authenticated(req);
      return caller && impersonating(req, caller, authority.rbacCaller);
    },
  };
}

/**
 * True when a token's claims still hold: meant for this API (no audiences, or this API's among them) and, for a
 * token that names its account's uid, that account (and the pod it is bound to) still there with the same uids.
 */
export function stillBound(service: Pick<ReadService, "runner">, claims: ServiceAccountClaims): boolean {
  if (claims.audiences && !claims.audiences.includes(API_AUDIENCE)) return false;
  if (claims.uid === undefined) return true;
  const uidOf = (resource: "serviceaccounts" | "pods", name: string) =>
    (service.runner.model.get(resource, claims.namespace, name)?.object as { metadata: { uid: string } } | undefined)?.metadata.uid;
  return uidOf("serviceaccounts", claims.name) === claims.uid && (!claims.pod || uidOf("pods", claims.pod.name) === claims.pod.uid);
}
