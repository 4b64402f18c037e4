/**
 * The gateway's door over the data folder's users (src/auth): a request's bearer token names the caller, the same
 * permissions nats-server enforces decide what it may do, and its writes go out on its own NATS connection, on its
 * role's command tree.
 */
import { authorize } from "../auth/authorize.js";
import { authenticateToken, type TokenStore } from "../auth/tokens.js";
import type { UserConnections } from "../auth/userConnections.js";
import type { CallerResolver } from "./caller.js";

/** A door that admits callers by bearer token. */
export function tokenDoor(store: TokenStore, connections: UserConnections, prefix: string): CallerResolver {
  return {
    callerOf(req) {
      const identity = authenticateToken(store, req.headers.authorization);
      if (!identity) return null;
      return {
        user: identity.user,
        authorize: (attrs) => authorize(identity, attrs, prefix),
        sender: (attrs) => ({ send: (ref, command) => connections.send(identity, attrs, ref, command) }),
      };
    },
  };
}
