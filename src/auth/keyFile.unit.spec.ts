import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptionKeyPath, ensureKeyFile } from "./keyFile.js";

describe("a data folder's key file", () => {
  it("is made once, owner-only, 32 bytes, and read back the same; no file of the making is left", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyfile-"));
    try {
      const path = encryptionKeyPath(dir);
      const key = ensureKeyFile(path);
      expect(key.length).toBe(32);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(ensureKeyFile(path).equals(key)).toBe(true);
      expect(readdirSync(join(dir, "pki"))).toEqual(["encryption.key"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
