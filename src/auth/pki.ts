/**
 * The HTTP API's TLS: a cluster CA and a serving certificate it signs, generated into `<data-dir>/pki` on first start
 * and reused afterwards (the serving certificate is renewed when it nears its end or misses a name). ECDSA P-256,
 * made with @peculiar/x509 on node's webcrypto; keys are written owner-only.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill loaded first.
import "reflect-metadata";
import { X509Certificate as NodeCertificate, webcrypto } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { isIP } from "node:net";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

const crypto = webcrypto;
/** What @peculiar/x509 takes as its crypto provider (typed against the DOM's Crypto, which node's webcrypto implements). */
type X509Crypto = Parameters<typeof x509.X509CertificateGenerator.create>[1];
const provider = webcrypto as unknown as X509Crypto;
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The CA lasts ten years, the serving certificate one (as kubeadm's do); renewed when fewer than 30 days are left. */
const CA_DAYS = 3650;
const SERVING_DAYS = 365;
const RENEW_BEFORE_DAYS = 30;

/** The PEM texts of the cluster's TLS material and where they are. */
export interface Pki {
  caPem: string;
  certPem: string;
  keyPem: string;
  paths: { ca: string; caKey: string; cert: string; key: string };
}

/** `<data-dir>/pki`. */
export function pkiDir(dataDir: string): string {
  return join(dataDir, "pki");
}

/**
 * The names the serving certificate is valid for: 127.0.0.1, ::1, localhost and this machine's hostname, and the
 * address the API was told to listen on (`--https-address`) unless it is a wildcard. Pure but for the hostname.
 */
export function servingNames(listenAddress?: string): { dns: string[]; ips: string[] } {
  // The names of the Service `default/kubernetes` too, by which a pod reaches the API.
  const service = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];
  const dns = ["localhost", hostname(), ...service].filter((h, i, all) => h && all.indexOf(h) === i);
  const extra = listenAddress !== undefined && isIP(listenAddress) !== 0 && !["0.0.0.0", "::"].includes(listenAddress) ? [listenAddress] : [];
  return { dns, ips: [...new Set(["127.0.0.1", "::1", ...extra])] };
}

/**
 * Returns the data folder's CA and serving certificate, creating the CA the first time and the serving certificate
 * whenever it is missing, expiring within 30 days, not issued by the CA, or not valid for one of `servingNames(listenAddress)`.
 */
export async function ensurePki(dataDir: string, listenAddress?: string): Promise<Pki> {
  const dir = pkiDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const paths = { ca: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "apiserver.crt"), key: join(dir, "apiserver.key") };
  if (!existsSync(paths.ca) || !existsSync(paths.caKey)) {
    const ca = await createCa();
    writeSecret(paths.caKey, ca.keyPem);
    writeFileSync(paths.ca, ca.certPem, { mode: 0o644 });
  }
  const caPem = readFileSync(paths.ca, "utf8");
  const names = servingNames(listenAddress);
  if (!servingCertUsable(paths, caPem, names)) {
    const serving = await createServing(caPem, readFileSync(paths.caKey, "utf8"), names);
    writeSecret(paths.key, serving.keyPem);
    writeFileSync(paths.cert, serving.certPem, { mode: 0o644 });
  }
  return { caPem, certPem: readFileSync(paths.cert, "utf8"), keyPem: readFileSync(paths.key, "utf8"), paths };
}

function servingCertUsable(paths: Pki["paths"], caPem: string, { dns, ips }: { dns: string[]; ips: string[] }): boolean {
  if (!existsSync(paths.cert) || !existsSync(paths.key)) return false;
  const cert = new NodeCertificate(readFileSync(paths.cert));
  if (!cert.verify(new NodeCertificate(caPem).publicKey)) return false; // signed by this CA, not merely named after it
  if (new Date(cert.validTo).getTime() - Date.now() < RENEW_BEFORE_DAYS * DAY_MS) return false;
  return dns.every((h) => cert.checkHost(h) !== undefined) && ips.every((ip) => cert.checkIP(ip) !== undefined);
}

async function createCa(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=coxswain-ca", keys, signingAlgorithm: ALGORITHM, ...validity(CA_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
    ],
  }, provider);
  return { certPem: cert.toString("pem"), keyPem: await keyPem(keys.privateKey) };
}

async function createServing(caPem: string, caKeyPem: string, { dns, ips }: { dns: string[]; ips: string[] }): Promise<{ certPem: string; keyPem: string }> {
  const ca = new x509.X509Certificate(caPem);
  const caKey = await crypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(caKeyPem), ALGORITHM, false, ["sign"]);
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=coxswain-apiserver", issuer: ca.subject, publicKey: keys.publicKey, signingKey: caKey, signingAlgorithm: ALGORITHM,
    ...validity(SERVING_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...dns.map((value) => ({ type: "dns" as const, value })), ...ips.map((value) => ({ type: "ip" as const, value }))]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false, provider),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
    ],
  }, provider);
  return { certPem: cert.toString("pem"), keyPem: await keyPem(keys.privateKey) };
}

/** From an hour ago (clocks differ a little) to `days` from now. */
function validity(days: number): { notBefore: Date; notAfter: Date; serialNumber: string } {
  const serialNumber = `01${Buffer.from(crypto.getRandomValues(new Uint8Array(15))).toString("hex")}`;
  return { notBefore: new Date(Date.now() - 60 * 60 * 1000), notAfter: new Date(Date.now() + days * DAY_MS), serialNumber };
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

/** Writes a key owner-only, atomically, so a reader never sees half of it. */
function writeSecret(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}
