/**
 * The `pod-template-hash` of a Deployment's ReplicaSet: a 32-bit FNV-1a hash of the pod template (and the
 * collision count), written with Kubernetes' safe alphabet (no vowels, no look-alikes), so `web-6d4b75cb6d`
 * names the ReplicaSet of one template. The bytes hashed are the template's canonical JSON (keys sorted), not Go's
 * struct dump, so the values differ from a real cluster's while keeping their shape and stability. Pure.
 */

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * `value` without empty objects and arrays: `resources: {}` and no `resources` are one template, as the Go types
 * Kubernetes hashes and compares make them (kubectl's `rollout undo` sends the former). Pure.
 */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = pruneEmpty(v);
    if (p === undefined || (Array.isArray(p) && p.length === 0) || (p !== null && typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0)) continue;
    out[k] = p;
  }
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. Pure. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Kubernetes' SafeEncodeString: each character mapped into the safe alphabet. Pure. */
export function safeEncode(s: string): string {
  return [...s].map((c) => ALPHABET[c.charCodeAt(0) % ALPHABET.length]).join("");
}

/** The pod-template-hash label value of `template` (with `collisionCount` when the first name was taken). Pure. */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = canonical(pruneEmpty(template)) + (collisionCount > 0 ? String(collisionCount) : "");
  return safeEncode(String(fnv32a(text)));
}
