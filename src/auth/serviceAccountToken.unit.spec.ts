import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureServiceAccountKey, issueServiceAccountToken, verifyServiceAccountToken } from "./serviceAccountToken.js";

describe("service account tokens", () => {
  const key = Buffer.alloc(32, 7);
  const claims = { namespace: "default", name: "leaderelection-sa", pod: { name: "web-1", uid: "u1" } };
  it("verify gives back what was issued", () => {
    expect(verifyServiceAccountToken(key, issueServiceAccountToken(key, claims))).toEqual(claims);
  });
  it("a token of another key, a tampered one, or garbage is refused", () => {
    const token = issueServiceAccountToken(key, claims);
    expect(verifyServiceAccountToken(Buffer.alloc(32, 8), token)).toBeNull();
    const [h, p, s] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ "kubernetes.io": { namespace: "kube-system", serviceaccount: { name: "admin" } } })).toString("base64url");
    expect(verifyServiceAccountToken(key, `${h}.${forged}.${s}`)).toBeNull();
    expect(verifyServiceAccountToken(key, `${h}.${p}`)).toBeNull();
    expect(verifyServiceAccountToken(key, "admin-token")).toBeNull();
  });
  it("the key is made once, owner-only, and kept", () => {
    const dir = mkdtempSync(join(tmpdir(), "sa-key-"));
    const a = ensureServiceAccountKey(dir);
    expect(ensureServiceAccountKey(dir).equals(a)).toBe(true);
    expect(a.length).toBe(32);
    expect(statSync(join(dir, "pki", "sa.key")).mode & 0o777).toBe(0o600);
  });
});
