/** NATS subject permissions as nats-server applies them to one literal subject: wildcards `*` and `>`, deny over allow. Pure. */
import type { Permissions } from "./roles.js";

/**
 * True when the literal `subject` matches `pattern` with NATS wildcard semantics: `*` stands for exactly one token,
 * `>` (only as the last token) for one or more. Pure.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    const token = p[i];
    if (token === ">") return i === p.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (token !== "*" && token !== s[i]) return false;
  }
  return p.length === s.length;
}

/** True when one side (publish or subscribe) of a user's permissions lets it use `subject`: some allow matches and no deny does. Pure. */
export function permits(side: Permissions["publish"], subject: string): boolean {
  const allowed = side.allow.some((a) => subjectMatches(a, subject));
  return allowed && !(side.deny ?? []).some((d) => subjectMatches(d, subject));
}
