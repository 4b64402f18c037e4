import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer, get, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import { ensureCredentials, ensureTenant } from "./credentials.js";
import { ensureKubeconfig, kubeconfigOfUser } from "./kubeconfig.js";
import { ensurePki, type Pki } from "./pki.js";
import { authenticateToken, TokenStore } from "./tokens.js";

const KUBECTL = process.env.KUBECTL ?? "kubectl";

/** GET over https; resolves with status and body, rejects with the TLS error's code. */
function httpsGet(url: string, opts: { ca?: string; token?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
    get(url, { ...(opts.ca ? { ca: opts.ca } : {}), headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", (err: NodeJS.ErrnoException) => reject(new Error(err.code ?? err.message)));
  });
}

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("the generated CA and serving certificate", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cox-tls-"));
  let pki: Pki;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ensureCredentials(dataDir, "admin", "admin");
    ensureTenant(dataDir, "alpha");
    pki = await ensurePki(dataDir);
    const store = TokenStore.open(dataDir);
    // A stand-in for the HTTP API: bearer authentication, /version and /whoami.
    server = createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
      const who = authenticateToken(store, req.headers.authorization);
      res.setHeader("content-type", "application/json");
      if (!who) {
        res.writeHead(401).end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 }));
        return;
      }
      const body = req.url === "/version" ? { major: "1", minor: "32", gitVersion: "v1.32.0-coxswain" } : req.url === "/whoami" ? who : null;
      res.writeHead(body ? 200 : 404).end(JSON.stringify(body ?? { kind: "Status", code: 404 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps the keys owner-only and names 127.0.0.1, ::1, localhost and the hostname", () => {
    for (const p of [pki.paths.caKey, pki.paths.key]) expect(statSync(p).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(pki.certPem);
    expect([cert.checkIP("127.0.0.1"), cert.checkIP("::1"), cert.checkHost("localhost"), cert.checkHost(hostname())])
      .toEqual(["127.0.0.1", "::1", "localhost", hostname()]);
    expect(cert.verify(new X509Certificate(pki.caPem).publicKey)).toBe(true);
    expect(new X509Certificate(pki.caPem).ca).toBe(true);
  });

  it("is trusted by node's https client with the CA alone, and refused without it", async () => {
    const token = ensureCredentials(dataDir, "admin", "admin").token;
    expect(await httpsGet(`${url}/version`, { ca: pki.caPem, token })).toMatchObject({ status: 200 });
    expect(await httpsGet(`${url.replace("127.0.0.1", "localhost")}/version`, { ca: pki.caPem, token })).toMatchObject({ status: 200 });
    await expect(httpsGet(`${url}/version`, { token })).rejects.toThrow(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  });

  it("names the address it is told to listen on too, and is trusted there (a wildcard adds nothing)", async () => {
    const other = mkdtempSync(join(tmpdir(), "cox-tls-addr-"));
    const named = await ensurePki(other, "127.0.0.2");
    expect(new X509Certificate(named.certPem).checkIP("127.0.0.2")).toBe("127.0.0.2");
    expect((await ensurePki(other)).certPem).toBe(named.certPem); // still covers the default names: kept
    const there = createServer({ cert: named.certPem, key: named.keyPem }, (_req, res) => res.writeHead(200).end("{}"));
    try {
      await new Promise<void>((resolve) => there.listen(0, "127.0.0.2", resolve));
      expect(await httpsGet(`https://127.0.0.2:${(there.address() as AddressInfo).port}/`, { ca: named.caPem })).toMatchObject({ status: 200 });
      expect(new X509Certificate((await ensurePki(dataDir, "0.0.0.0")).certPem).checkIP("0.0.0.0")).toBeUndefined();
    } finally {
      await new Promise((resolve) => there.close(resolve));
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("is reused on the next start, and replaced when the CA changes", async () => {
    const again = await ensurePki(dataDir);
    expect([again.caPem, again.certPem, again.keyPem]).toEqual([pki.caPem, pki.certPem, pki.keyPem]);
    const other = mkdtempSync(join(tmpdir(), "cox-tls-other-"));
    try {
      const first = await ensurePki(other);
      unlinkSync(first.paths.ca);
      const renewed = await ensurePki(other);
      expect(renewed.caPem).not.toBe(first.caPem);
      expect(renewed.certPem).not.toBe(first.certPem);
      expect(new X509Certificate(renewed.certPem).verify(new X509Certificate(renewed.caPem).publicKey)).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("lets the real kubectl in with the admin's kubeconfig (CA, no insecure-skip-tls-verify), and no one with a wrong token", async () => {
    const path = await ensureKubeconfig(dataDir, url);
    expect(path).toBe(join(dataDir, "kubeconfig"));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const ok = await kubectl(["--kubeconfig", path, "get", "--raw", "/whoami"]);
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout)).toEqual({ user: "admin", role: "admin" });
    const wrong = await kubectl(["--kubeconfig", path, "--token", "not-a-token", "get", "--raw", "/whoami"]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Unauthorized/);
  });

  it("gives each user a kubeconfig of its own: a tenant's is read by kubectl and @kubernetes/client-node as that tenant", async () => {
    const text = await kubeconfigOfUser(dataDir, "tenant-alpha");
    const file = join(dataDir, "tenant.kubeconfig");
    writeFileSync(file, text, { mode: 0o600 });
    const who = await kubectl(["--kubeconfig", file, "get", "--raw", "/whoami"]);
    expect(JSON.parse(who.stdout)).toEqual({ user: "tenant-alpha", role: "tenant", namespace: "alpha" });
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe("alpha");
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe("v1.32.0-coxswain");
  });

  it("names an unknown user clearly", async () => {
    await expect(kubeconfigOfUser(dataDir, "bob")).rejects.toThrow(/no user "bob"/);
  });
});
