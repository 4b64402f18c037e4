/** Names a controller makes for the objects it creates, as Kubernetes' generated names look: `<base>-<5 characters>`. */
import { createHash } from "node:crypto";

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * `<base>-<5 characters>` (the base cut to 57 characters, as `generateName` cuts it), the characters drawn from
 * Kubernetes' safe alphabet by a digest of `seed`: the same seed always gives the same name, so a create sent again
 * is refused as taken rather than making a second object. Pure.
 */
export function generatedName(base: string, seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  return `${base.slice(0, 57).replace(/[-.]+$/, "")}-${[...digest.subarray(0, 5)].map((b) => ALPHABET[b % ALPHABET.length]).join("")}`;
}
