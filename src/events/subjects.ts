/** Subject names of the wire contract (PROTOCOL.md): commands, events, reads, rejections. */
import { CLUSTER_NS, isResource, type EntityRef, type Resource } from "../api/kinds.js";

/**
 * An object's name as a subject token: a DNS-1123 subdomain's dots (a token may have none) written as `_`, which no
 * name has. A name without dots is its own token. Pure.
 */
export function nameToken(name: string): string {
  return name.includes(".") ? name.replaceAll(".", "_") : name;
}

/** The name a subject token stands for (`nameToken` undone). Pure. */
export function nameFromToken(token: string): string {
  return token.includes("_") ? token.replaceAll("_", ".") : token;
}

/** The default subject prefix. */
export const DEFAULT_PREFIX = "cox";

/** `cox.ev.<kind>.<ns>.<name>`. Pure. */
export function eventSubject(prefix: string, ref: EntityRef): string {
  return `${prefix}.ev.${ref.resource}.${ref.namespace}.${nameToken(ref.name)}`;
}

/** `cox.ev.>` or narrower: kind, then namespace. Pure. */
export function eventFilter(prefix: string, resource?: Resource, namespace?: string): string {
  if (!resource) return `${prefix}.ev.>`;
  return namespace ? `${prefix}.ev.${resource}.${namespace}.*` : `${prefix}.ev.${resource}.>`;
}

/** The channel a command arrives on, which tells the host the sender's role (the server enforces who may publish where). */
export type CommandChannel = { role: "user" } | { role: "controller" } | { role: "node"; node: string };

/** The user channel, for the common case. */
export const USER_CHANNEL: CommandChannel = { role: "user" };

/** `cox.cmd.<kind>.<ns>.<name>` (users), `cox.ctl.…` (controllers), `cox.node.<node>.…` (node agents). Pure. */
export function commandSubject(prefix: string, ref: EntityRef, channel: CommandChannel = USER_CHANNEL): string {
  return `${commandTree(prefix, channel)}.${ref.resource}.${ref.namespace}.${nameToken(ref.name)}`;
}

/** The subject tree of a channel's commands: `cox.cmd`, `cox.ctl`, `cox.node.<node>`. Pure. */
export function commandTree(prefix: string, channel: CommandChannel = USER_CHANNEL): string {
  switch (channel.role) {
    case "user":
      return `${prefix}.cmd`;
    case "controller":
      return `${prefix}.ctl`;
    case "node":
      return `${prefix}.node.${channel.node}`;
    default: {
      const never: never = channel;
      throw new Error(`unknown channel ${JSON.stringify(never)}`);
    }
  }
}

/** The subscriptions of an actor host: every command channel, with the sender role it stands for. Pure. */
export function commandFilters(prefix: string): { filter: string; role: CommandChannel["role"] }[] {
  return [{ filter: `${prefix}.cmd.>`, role: "user" }, { filter: `${prefix}.ctl.>`, role: "controller" }, { filter: `${prefix}.node.>`, role: "node" }];
}

/** `cox.rejected.<kind>.<ns>.<name>`: where rejections of reply-less commands go. Pure. */
export function rejectedSubject(prefix: string, ref: EntityRef): string {
  return `${prefix}.rejected.${ref.resource}.${ref.namespace}.${nameToken(ref.name)}`;
}

/** `cox.api.<kind>.<ns>.<verb>`. Pure. */
export function apiSubject(prefix: string, resource: Resource, namespace: string, verb: "get" | "list" | "watch"): string {
  return `${prefix}.api.${resource}.${namespace}.${verb}`;
}

/** The three raw tokens after `<prefix>.<area>.`, or null when the subject has another shape. Pure. */
export function subjectTokens(prefix: string, area: string, subject: string): [string, string, string] | null {
  const head = `${prefix}.${area}.`;
  if (!subject.startsWith(head)) return null;
  const parts = subject.slice(head.length).split(".");
  if (parts.length !== 3) return null;
  return [parts[0] ?? "", parts[1] ?? "", parts[2] ?? ""];
}

/** The entity an event subject names, or null. Pure. */
export function refFromEventSubject(prefix: string, subject: string): EntityRef | null {
  const t = subjectTokens(prefix, "ev", subject);
  if (!t || !isResource(t[0])) return null;
  return { resource: t[0], namespace: t[1], name: nameFromToken(t[2]) };
}

/** The key of an entity in KV buckets (`pods.default.web-1`; a name's dots as `_`, as in subjects). Pure. */
export function entityKey(ref: EntityRef): string {
  return `${ref.resource}.${ref.namespace}.${nameToken(ref.name)}`;
}

/** The parts of an entity key (`entityKey` undone), or null when it has another shape. Pure. */
export function refFromEntityKey(key: string): { resource: string; namespace: string; name: string } | null {
  const [resource, namespace, name, ...rest] = key.split(".");
  return resource && namespace && name && rest.length === 0 ? { resource, namespace, name: nameFromToken(name) } : null;
}

export { CLUSTER_NS };
