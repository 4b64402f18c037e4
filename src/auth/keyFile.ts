/** The cluster's symmetric keys in a data folder's `pki/`: 32 random bytes, base64, owner-only, made on first use. */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The path of the cluster's encryption key in a data folder: what Secrets' events are sealed with (src/events/sealing.ts). */
export function encryptionKeyPath(dataDir: string): string {
  return join(dataDir, "pki", "encryption.key");
}

/**
 * Reads the key at `path`, creating it on first use. Two processes of one data folder starting together make one
 * key: each writes its own in a file of its own and links it into place, which only the first does; whoever loses
 * the race reads the winner's, never a file half written. Does file I/O.
 */
export function ensureKeyFile(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const mine = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(mine, randomBytes(32).toString("base64"), { mode: 0o600 });
    try {
      linkSync(mine, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      rmSync(mine, { force: true });
    }
    chmodSync(path, 0o600);
  }
  return Buffer.from(readFileSync(path, "utf8").trim(), "base64");
}
