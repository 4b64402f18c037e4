/**
 * Encryption at rest of the events of sealed kinds (Secret), as the Kubernetes apiserver's `aesgcm` provider seals
 * them in etcd, done for COX_EVENTS: every reader of the stream (the viewer, a tenant following its namespace's
 * subjects, an export) would otherwise see a Secret's values. The parts' own checkpoints and snapshots beside the
 * stream are not sealed: only the control plane's and the nodes' users read those, and they hold the key. The event store seals an event's `data`
 * when it appends it, and every reader that holds the cluster's key (`<data-dir>/pki/encryption.key`, which each
 * part loads when it joins the cluster) opens it as it decodes the event; a reader without the key sees the sealed
 * text. The envelope (type, name, version, time) stays readable, as etcd's keys do.
 *
 * Sealed text: `k8s:enc:aesgcm:v1:<key id>:<base64 of nonce, ciphertext and tag>`, AES-256-GCM with a random
 * 12-byte nonce per event and the entity's `<kind>/<namespace>/<name>` as additional data, so a sealed value moved
 * to another object does not open. The key id is the first 8 hex digits of the key's SHA-256: a part with another
 * key says whose key it needs.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** How sealed data begins. */
export const SEALED_PREFIX = "k8s:enc:aesgcm:v1:";

/** A key and its id. */
export interface SealingKey {
  key: Buffer;
  id: string;
}

let current: SealingKey | null = null;

/** The id of a key: the first 8 hex digits of its SHA-256. Pure. */
export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** Makes `key` the one this process seals and opens with (null: none). */
export function useSealingKey(key: Buffer | null): void {
  if (key && key.length !== 32) throw new Error(`an encryption key has 32 bytes, this one ${key.length}`);
  current = key ? { key, id: keyId(key) } : null;
}

/** Whether `data` is sealed text. Pure. */
export function isSealed(data: unknown): data is string {
  return typeof data === "string" && data.startsWith(SEALED_PREFIX);
}

/** The sealed text of `data` (any JSON value) for the entity `aad` names; throws when this process has no key. */
export function seal(data: unknown, aad: string, key: SealingKey | null = current): string {
  if (!key) throw new Error(`no encryption key to store this ${aad.split("/")[0]} with: the part must join the cluster with its data folder (<data-dir>/pki/encryption.key)`);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(data), "utf8"), cipher.final()]);
  return `${SEALED_PREFIX}${key.id}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64")}`;
}

/**
 * The data of sealed text, or the text itself when this process has no key (a reader outside the control plane);
 * throws when the text was sealed with another key or does not open (tampered, moved to another object).
 */
export function unseal(text: string, aad: string, key: SealingKey | null = current): unknown {
  if (!key) return text;
  const rest = text.slice(SEALED_PREFIX.length);
  const colon = rest.indexOf(":");
  const id = rest.slice(0, colon);
  if (id !== key.id) throw new Error(`${aad} was sealed with key ${id}; this part has key ${key.id}: every part needs the same <data-dir>/pki/encryption.key`);
  const bytes = Buffer.from(rest.slice(colon + 1), "base64");
  if (bytes.length < 28) throw new Error(`${aad}: the sealed data is too short`);
  const decipher = createDecipheriv("aes-256-gcm", key.key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString("utf8"));
}

/** What a sealed event's data is bound to: its entity, `<kind>/<namespace>/<name>`. Pure. */
export function sealedFor(event: { kind: string; namespace: string; name: string }): string {
  return `${event.kind}/${event.namespace}/${event.name}`;
}
