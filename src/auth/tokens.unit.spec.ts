import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentialsPath, ensureCredentials, ensureTenant, readCredentials } from "./credentials.js";
import { authenticateToken, TokenStore, unauthorized } from "./tokens.js";

describe("bearer tokens of the data folder's users", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), "cox-tokens-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("generates a token with each user's credentials, owner-only, distinct per user", () => {
    const d = dataDir();
    const admin = ensureCredentials(d, "admin", "admin");
    const viewer = ensureCredentials(d, "viewer", "viewer");
    expect(admin.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(viewer.token).not.toBe(admin.token);
    expect(statSync(credentialsPath(d, "admin")).mode & 0o777).toBe(0o600);
    expect(ensureCredentials(d, "admin", "admin").token).toBe(admin.token);
  });

  it("authenticates each user's token to its identity, and nothing else", () => {
    const d = dataDir();
    const admin = ensureCredentials(d, "admin", "admin");
    const tenant = ensureTenant(d, "alpha");
    const node = ensureCredentials(d, "node-n1", "node", "n1");
    const store = TokenStore.open(d);
    expect(authenticateToken(store, `Bearer ${admin.token}`)).toEqual({ user: "admin", role: "admin" });
    expect(authenticateToken(store, `bearer ${tenant.token}`)).toEqual({ user: "tenant-alpha", role: "tenant", namespace: "alpha" });
    expect(authenticateToken(store, `Bearer ${node.token}`)).toEqual({ user: "node-n1", role: "node", node: "n1" });
    for (const header of [undefined, "", "Bearer", `Basic ${admin.token}`, `Bearer ${admin.token}x`, `Bearer ${admin.password}`, `Bearer ${admin.token} extra`]) {
      expect(authenticateToken(store, header)).toBeNull();
    }
  });

  it("gives a token to credentials written before tokens existed, when the store opens", () => {
    const d = dataDir();
    const old = ensureCredentials(d, "viewer", "viewer");
    const { token: _dropped, ...withoutToken } = old;
    writeFileSync(credentialsPath(d, "viewer"), JSON.stringify(withoutToken), { mode: 0o600 });
    expect(readCredentials(credentialsPath(d, "viewer")).token).toBeUndefined();
    const store = TokenStore.open(d);
    const upgraded = readCredentials(credentialsPath(d, "viewer"));
    expect(upgraded.token).toBeDefined();
    expect(upgraded.password).toBe(old.password);
    expect(statSync(credentialsPath(d, "viewer")).mode & 0o777).toBe(0o600);
    expect(authenticateToken(store, `Bearer ${upgraded.token}`)?.user).toBe("viewer");
  });

  it("takes a tenant added while it runs at its first request, and forgets a removed user", () => {
    const d = dataDir();
    ensureCredentials(d, "admin", "admin");
    const store = TokenStore.open(d);
    const later = ensureTenant(d, "beta");
    expect(authenticateToken(store, `Bearer ${later.token}`)).toEqual({ user: "tenant-beta", role: "tenant", namespace: "beta" });
    expect(store.credentials("tenant-beta")?.password).toBe(later.password);
    rmSync(credentialsPath(d, "tenant-beta"));
    expect(authenticateToken(store, `Bearer ${later.token}`)).toBeNull();
  });

  it("answers an unknown caller with the apiserver's 401 Status", () => {
    expect(unauthorized().toStatus()).toEqual({ code: 401, reason: "Unauthorized", message: "Unauthorized" });
  });

  it("stores each token once, in the user's credentials file", () => {
    const d = dataDir();
    const c = ensureCredentials(d, "admin", "admin");
    expect(JSON.parse(readFileSync(credentialsPath(d, "admin"), "utf8"))).toMatchObject({ user: "admin", token: c.token });
  });
});
