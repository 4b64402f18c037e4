/**
 * Which shard owns a key: FNV-1a (32 bit) of the key's UTF-8 bytes modulo the number of shards, and the name of that
 * shard's Service. Pure; the client pod and the e2e test agree on it.
 */

/** FNV-1a, 32 bit, of `key`'s UTF-8 bytes. */
export function fnv1a(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** The shard of `key` among `shards` shards (0 … shards-1). */
export function shardOf(key: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be a positive integer, not ${shards}`);
  return fnv1a(key) % shards;
}

/** The Service that fronts shard `index`: `shard-<index>`. */
export const shardService = (index: number): string => `shard-${index}`;
