/** Renders the `authorization` block of nats-server's configuration from the cluster's users. Pure. */
import type { Credentials } from "./credentials.js";
import { permissionsFor, type Permissions } from "./roles.js";

/** The configuration text for these users under `prefix`. */
export function renderAuthorization(users: Credentials[], prefix: string): string {
  const entries = users.map((u) => {
    const perms = permissionsFor(u.role, prefix, u.scope);
    return `    { user: ${q(u.user)}, password: ${q(u.password)}, permissions: ${renderPermissions(perms)} }`;
  });
  return `authorization {\n  users = [\n${entries.join("\n")}\n  ]\n}\n`;
}

function renderPermissions(p: Permissions): string {
  const side = (s: { allow: string[]; deny?: string[] | undefined }) =>
    `{ allow: [${s.allow.map(q).join(", ")}]${s.deny ? `, deny: [${s.deny.map(q).join(", ")}]` : ""} }`;
  return `{ publish: ${side(p.publish)}, subscribe: ${side(p.subscribe)}, allow_responses: true }`;
}

function q(s: string): string {
  return JSON.stringify(s);
}
