/**
 * Impersonation, as the apiserver does it: a request with `Impersonate-User` (and any `Impersonate-Group`) is
 * authorized and carried out as that user, which is how `kubectl --as=… --as-group=…` and `kubectl auth can-i --as`
 * work. Only a caller that may impersonate (the cluster's admin) may send them; anyone else is Forbidden in
 * Kubernetes' words. A service account's name (`system:serviceaccount:<ns>:<name>`) gets a service account's groups.
 */
import type { IncomingMessage } from "node:http";
import { StatusError } from "../api/status.js";
import { serviceAccountUser, type UserInfo } from "../auth/rbac/authorizer.js";
import type { Caller } from "./caller.js";

const SA = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The user a request asks to act as, or null when it names none. BadRequest for groups without a user. Pure. */
export function impersonatedUser(headers: IncomingMessage["headersDistinct"]): UserInfo | null {
  const name = headers["impersonate-user"]?.[0];
  const groups = headers["impersonate-group"] ?? [];
  if (!name) {
    if (groups.length > 0) throw new StatusError("BadRequest", `requested groups [${groups.join(" ")}] without impersonating a user`);
    return null;
  }
  const sa = SA.exec(name);
  const base = sa ? serviceAccountUser(sa[1] ?? "", sa[2] ?? "") : { name, groups: ["system:authenticated"] };
  return { name, groups: [...new Set([...groups, ...base.groups])] };
}

/** The caller a request stands for: `caller`, or the user it impersonates (`as` builds that user's caller). */
export function impersonating(req: IncomingMessage, caller: Caller, as: (user: UserInfo) => Caller): Caller {
  const user = impersonatedUser(req.headersDistinct);
  if (!user) return caller;
  if (!caller.mayImpersonate) {
    throw new StatusError("Forbidden", `users ${JSON.stringify(user.name)} is forbidden: User ${JSON.stringify(caller.user)} cannot impersonate resource "users" in API group "" at the cluster scope`, { kind: "users", name: user.name });
  }
  return as(user);
}
