/**
 * Who may do what, as NATS subject permissions enforced by nats-server. Pure: from a prefix (and a
 * namespace or node name) to the allow/deny lists of one user.
 *
 * Commands reach the actor host on one subject tree per role, so the host knows the sender's role
 * from the subject the server let it publish on (it never trusts a role claimed in a body):
 *   users and tenants `<p>.cmd.<kind>.<ns>.<name>`, controllers `<p>.ctl.<kind>.<ns>.<name>`,
 *   node agents `<p>.node.<node>.<kind>.<ns>.<name>`.
 */

/** The roles of the cluster. `system` is the control plane itself (actor hosts, API processes). */
export type Role = "admin" | "system" | "controller" | "node" | "viewer" | "tenant";

/** Subject permissions of one NATS user. */
export interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[]; deny?: string[] };
}

/** JetStream API calls a read-only client needs to follow the event stream with an ordered consumer. */
function streamReading(): string[] {
  return [
    "$JS.API.INFO",
    "$JS.API.STREAM.INFO.COX_EVENTS",
    "$JS.API.STREAM.INFO.COX_LOGS",
    "$JS.API.CONSUMER.CREATE.COX_EVENTS",
    "$JS.API.CONSUMER.CREATE.COX_EVENTS.>",
    "$JS.API.CONSUMER.CREATE.COX_LOGS",
    "$JS.API.CONSUMER.CREATE.COX_LOGS.>",
    "$JS.API.CONSUMER.INFO.COX_EVENTS.*",
    "$JS.API.CONSUMER.INFO.COX_LOGS.*",
    "$JS.API.CONSUMER.DELETE.COX_EVENTS.*",
    "$JS.API.CONSUMER.DELETE.COX_LOGS.*",
    "$JS.API.CONSUMER.MSG.NEXT.COX_EVENTS.*",
    "$JS.API.CONSUMER.MSG.NEXT.COX_LOGS.*",
    "$JS.API.DIRECT.GET.COX_EVENTS",
    "$JS.API.DIRECT.GET.COX_EVENTS.>",
    "$JS.FC.>",
  ];
}

/** The permissions of a role. `scope` is the tenant's namespace or the node's name. Pure. */
export function permissionsFor(role: Role, prefix: string, scope?: string): Permissions {
  const p = prefix;
  const inbox = "_INBOX.>";
  switch (role) {
    case "admin":
    case "system":
      return { publish: { allow: [">"] }, subscribe: { allow: [">"] } };
    case "controller":
      return {
        publish: { allow: [`${p}.ctl.>`, `${p}.api.>`, `${p}.sys.hello`, "$JS.API.>", "$KV.COX_LEASES.>", "$JS.ACK.>", "$JS.FC.>", inbox] },
        subscribe: { allow: [inbox, `${p}.ev.>`, `${p}.sys.hello`, `${p}.watch.>`] },
      };
    case "node":
      return {
        publish: {
          allow: [`${p}.node.${scope ?? "*"}.>`, `${p}.api.>`, `${p}.logs.>`, `${p}.stats.>`, `${p}.sys.hello`, "$JS.API.>", "$KV.COX_NODE_LEASES.>", "$JS.ACK.>", "$JS.FC.>", inbox],
        },
        subscribe: { allow: [inbox, `${p}.ev.>`, `${p}.sys.hello`, `${p}.watch.>`] },
      };
    case "viewer":
      return {
        publish: { allow: [`${p}.api.>`, ...streamReading(), inbox] },
        subscribe: { allow: [inbox, `${p}.ev.>`, `${p}.logs.>`, `${p}.stats.>`, `${p}.watch.>`] },
      };
    case "tenant": {
      if (!scope) throw new Error("a tenant needs its namespace");
      return {
        publish: { allow: [`${p}.cmd.*.${scope}.>`, `${p}.api.*.${scope}.*`, inbox] },
        subscribe: { allow: [inbox, `${p}.ev.*.${scope}.>`, `${p}.logs.${scope}.>`] },
      };
    }
    default: {
      const never: never = role;
      throw new Error(`unknown role ${String(never)}`);
    }
  }
}
