/**
 * Who may do what, as NATS subject permissions enforced by nats-server. Pure: from a prefix (and a
 * namespace or node name) to the allow/deny lists of one user.
 *
 * Commands reach the actor host on one subject tree per role, so the host knows the sender's role
 * from the subject the server let it publish on (it never trusts a role claimed in a body):
 *   users and tenants `<p>.cmd.<kind>.<ns>.<name>`, controllers `<p>.ctl.<kind>.<ns>.<name>`,
 *   node agents `<p>.node.<node>.<kind>.<ns>.<name>`.
 * Each node agent also takes the streams into its pods (`kubectl exec`, `port-forward`) on `<p>.podstream.<node>.>`,
 * which only the control plane publishes on.
 * Service accounts (pods) reach NATS as the shared `serviceaccount` user, which may only ask the service-account
 * door `<p>.sa.>`: there each request carries the account's token and RBAC decides (src/gateway/serviceAccountNats.ts).
 */
import { RESOURCE_INFO, RESOURCES } from "../api/kinds.js";
import { EVENT_STREAM, LEASE_BUCKET, LOG_STREAM, NODE_LEASE_BUCKET, SEALED_WATCH_TREE, WATCH_TREE } from "../events/names.js";

/** The roles of the cluster. `system` is the control plane itself (actor hosts, API processes). */
export type Role = "admin" | "system" | "controller" | "node" | "viewer" | "tenant" | "serviceaccount";

/** Subject permissions of one NATS user. */
export interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[]; deny?: string[] };
}

/** JetStream API calls a read-only client needs to follow the event stream with an ordered consumer. */
function streamReading(): string[] {
  const followed = [EVENT_STREAM, LOG_STREAM];
  return [
    "$JS.API.INFO",
    ...followed.flatMap((stream) => [
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}.>`,
      `$JS.API.CONSUMER.INFO.${stream}.*`,
      `$JS.API.CONSUMER.DELETE.${stream}.*`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
    ]),
    `$JS.API.DIRECT.GET.${EVENT_STREAM}`,
    `$JS.API.DIRECT.GET.${EVENT_STREAM}.>`,
    "$JS.FC.>",
  ];
}

/**
 * What only the control plane may do to the event log and the leases: delete, purge or cut them. Controllers
 * and node agents need `$JS.API.>` for their own views, checkpoints and buckets, so these are denied on top.
 */
function protectedStreams(): string[] {
  return [EVENT_STREAM, `KV_${LEASE_BUCKET}`, `KV_${NODE_LEASE_BUCKET}`].flatMap((s) => [
    `$JS.API.STREAM.DELETE.${s}`, `$JS.API.STREAM.PURGE.${s}`, `$JS.API.STREAM.MSG.DELETE.${s}`,
  ]);
}

/**
 * Reads by watch (docs/protocol.md, Reads): the API names `<p>.watch.<ns>.<id>` (`<p>.sealedwatch.<ns>.<id>` for a
 * sealed kind's, such as Secrets); the watcher subscribes to it and pings `<subject>.ping` (or ends it with `.stop`).
 * `ns` confines a tenant to the watches of its namespace; without `sealed` a role cannot follow the watches of
 * sealed kinds; a watcher may never publish on a watch subject itself (that would forge events for other watchers).
 */
function watching(p: string, ns = "*", sealed = true): { publish: string[]; subscribe: string[] } {
  const trees = sealed ? [WATCH_TREE, SEALED_WATCH_TREE] : [WATCH_TREE];
  return {
    publish: trees.flatMap((t) => [`${p}.${t}.${ns}.*.ping`, `${p}.${t}.${ns}.*.stop`]),
    subscribe: trees.map((t) => `${p}.${t}.${ns}.*`),
  };
}

/** The reads of the sealed kinds (`<p>.api.secrets.>`), which the viewer's role may not make. Pure. */
function sealedReads(p: string): string[] {
  return RESOURCES.filter((r) => RESOURCE_INFO[r].sealed).map((r) => `${p}.api.${r}.>`);
}

/**
 * The inbox prefix of a role: replies to its requests come on `<prefix>.>`, which only it may subscribe to, so no
 * role reads another's replies. A tenant's is per namespace; admin and system use the shared `_INBOX`. Pure.
 */
export function inboxPrefixFor(role: Role, scope?: string): string | undefined {
  if (role === "tenant") return scope ? `_INBOX_${scope}` : undefined;
  if (role === "admin" || role === "system") return undefined;
  return role === "node" && scope ? `_INBOX_node_${scope}` : `_INBOX_${role}`;
}

/** The role a bare user name stands for (`viewer`, `tenant-team-a`), for `--user` without a credentials file. Pure. */
export function roleOfUser(user: string): { role: Role; scope?: string } | undefined {
  if (user.startsWith("tenant-")) return { role: "tenant", scope: user.slice("tenant-".length) };
  if (user.startsWith("node-")) return { role: "node", scope: user.slice("node-".length) };
  const roles: Role[] = ["admin", "system", "controller", "node", "viewer", "serviceaccount"];
  return roles.includes(user as Role) ? { role: user as Role } : undefined;
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
        publish: {
          allow: [`${p}.ctl.>`, `${p}.api.>`, `${p}.sys.hello`, "$JS.API.>", "$KV.COX_LEASES.>", "$JS.ACK.>", "$JS.FC.>", inbox, ...watching(p).publish],
          deny: protectedStreams(),
        },
        subscribe: { allow: [`${inboxPrefixFor(role)}.>`, `${p}.ev.>`, `${p}.sys.hello`, ...watching(p).subscribe] },
      };
    case "node":
      return {
        publish: {
          allow: [
            `${p}.node.${scope ?? "*"}.>`, `${p}.api.>`, `${p}.logs.>`, `${p}.stats.>`, `${p}.sys.hello`,
            "$JS.API.>", `$KV.${NODE_LEASE_BUCKET}.${scope ?? ">"}`, "$JS.ACK.>", "$JS.FC.>", inbox, ...watching(p).publish,
          ],
          deny: protectedStreams(),
        },
        subscribe: {
          allow: [`${inboxPrefixFor(role, scope)}.>`, `${p}.ev.>`, `${p}.sys.hello`, `${p}.podstream.${scope ?? "*"}.>`, ...watching(p).subscribe],
        },
      };
    case "viewer":
      return {
        publish: { allow: [`${p}.api.>`, ...streamReading(), inbox, ...watching(p, "*", false).publish], deny: sealedReads(p) },
        subscribe: { allow: [`${inboxPrefixFor(role)}.>`, `${p}.ev.>`, `${p}.logs.>`, `${p}.stats.>`, ...watching(p, "*", false).subscribe] },
      };
    case "serviceaccount":
      return { publish: { allow: [`${p}.sa.>`] }, subscribe: { allow: [`${inboxPrefixFor(role)}.>`] } };
    case "tenant": {
      if (!scope) throw new Error("a tenant needs its namespace");
      const own = watching(p, scope);
      return {
        publish: { allow: [`${p}.cmd.*.${scope}.>`, `${p}.api.*.${scope}.*`, ...own.publish] },
        subscribe: { allow: [`${inboxPrefixFor(role, scope)}.>`, `${p}.ev.*.${scope}.>`, `${p}.logs.${scope}.>`, ...own.subscribe] },
      };
    }
    default: {
      const never: never = role;
      throw new Error(`unknown role ${String(never)}`);
    }
  }
}
