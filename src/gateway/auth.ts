/**
 * The gateway's door over the data folder's users (src/auth): a request's bearer token names the caller, the same
 * permissions nats-server enforces decide what it may do, and its writes go out on its own NATS connection, on its
 * role's command tree.
 */
import { authorize } from "../auth/authorize.js";
import { authenticateToken, type TokenStore } from "../auth/tokens.js";
import type { UserConnections } from "../auth/userConnections.js";
import type { PolicyRule } from "../api/rbac.js";
import { RESOURCE_INFO, RESOURCES } from "../api/kinds.js";
import type { Identity } from "../auth/tokens.js";
import { ALL_RULE, MASTERS, type CallerResolver, type RequestedAccess } from "./caller.js";
import type { CommandSender } from "../nats/commandClient.js";

/** A door that admits callers by bearer token. */
export function tokenDoor(store: TokenStore, connections: UserConnections, prefix: string): CallerResolver {
  return {
    callerOf(req) {
      const identity = authenticateToken(store, req.headers.authorization);
      if (!identity) return null;
      return {
        user: identity.user,
        groups: identity.role === "admin" || identity.role === "system" ? MASTERS : ["system:authenticated"],
        authorize: (attrs) => authorize(identity, attrs, prefix),
        sender: (attrs) => userSender(connections, identity, attrs),
        mayImpersonate: identity.role === "admin" || identity.role === "system",
        rules: (namespace) => roleRules(identity, namespace),
      };
    },
  };
}

/**
 * What the viewer reads, group by group: every resource and subresource but the sealed kinds' (Secrets), as
 * Kubernetes' `view` role leaves them out. Pure.
 */
function viewerRules(): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of RESOURCES) {
    const info = RESOURCE_INFO[r];
    if (info.sealed) continue;
    const readable = info.subresources.filter((s) => s.verbs.includes("get") && !s.stream).map((s) => `${r}/${s.name}`);
    byGroup.set(info.group, [...(byGroup.get(info.group) ?? []), r, ...readable]);
  }
  return [...byGroup].map(([group, resources]) => ({ verbs: ["get", "list", "watch"], apiGroups: [group], resources }));
}

const VIEWER_RULES = viewerRules();

/**
 * The rules a data-folder user holds in `namespace`, in RBAC's terms, as its NATS permissions (src/auth/roles.ts)
 * grant them: admin everything, the viewer reads all but Secrets, a tenant everything in its own namespace; the control plane's own
 * roles (controller, node) are not summed up as rules (undefined: the review says incomplete). Pure.
 */
export function roleRules(identity: Identity, namespace: string | undefined): PolicyRule[] | undefined {
  switch (identity.role) {
    case "admin":
    case "system": return [ALL_RULE];
    case "viewer": return VIEWER_RULES;
    case "tenant": return namespace !== undefined && namespace === identity.namespace ? [ALL_RULE] : [];
    default: return undefined;
  }
}

/** The sender of a user's commands for one authorized request, on the user's own connection; `within` sets its wait. */
function userSender(connections: UserConnections, identity: Identity, attrs: RequestedAccess, timeoutMs?: number): CommandSender {
  return {
    send: (ref, command) => connections.send(identity, attrs, ref, command, timeoutMs),
    within: (ms) => userSender(connections, identity, attrs, ms),
  };
}
