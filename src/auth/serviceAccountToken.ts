/**
 * Service account tokens: what a pod's processes present to the API as `Authorization: Bearer …`. A token is a
 * JWT signed with HS256 by the cluster's service-account key (`<data-dir>/pki/sa.key`, owner-only), naming the
 * service account and the pod it was issued for, so the API authenticates it without a lookup and a leaked pod
 * token names where it came from. A token made by a TokenRequest (`kubectl create token`) also carries the
 * account's uid, its audiences and an expiry (`exp`), and the pod it is bound to, if any: it is refused once expired,
 * and the API also refuses it once the account (or the pod) it names is gone or made again (see
 * src/gateway/serviceAccounts.ts). Pure apart from the key file helpers.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { ensureKeyFile } from "./keyFile.js";

/** Who a token speaks for. */
export interface ServiceAccountClaims {
  namespace: string;
  name: string;
  pod?: { name: string; uid: string };
  /** The account's uid (TokenRequest tokens): the token dies with that account. */
  uid?: string;
  /** Who may accept it (`aud`); a token without audiences is for this cluster's API. */
  audiences?: string[];
  /** When it expires, in seconds since the epoch (`exp`); a pod's own token does not. */
  expiresAt?: number;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");
const HEADER = b64(JSON.stringify({ alg: "HS256", typ: "JWT" }));

/** A signed token for `claims`, issued at `issuedAt` (seconds). Pure. */
export function issueServiceAccountToken(key: Buffer, claims: ServiceAccountClaims, issuedAt = 0): string {
  const payload = b64(JSON.stringify({
    ...(claims.audiences ? { aud: claims.audiences } : {}), ...(claims.expiresAt !== undefined ? { exp: claims.expiresAt } : {}),
    iss: "coxswain", sub: `system:serviceaccount:${claims.namespace}:${claims.name}`, iat: issuedAt,
    "kubernetes.io": {
      namespace: claims.namespace, serviceaccount: { name: claims.name, ...(claims.uid ? { uid: claims.uid } : {}) }, ...(claims.pod ? { pod: claims.pod } : {}),
    },
  }));
  const sig = createHmac("sha256", key).update(`${HEADER}.${payload}`).digest("base64url");
  return `${HEADER}.${payload}.${sig}`;
}

/**
 * The claims of a token this key signed, or null (wrong key, tampered, not a token, expired at `nowSeconds`).
 * Constant-time check. Pure.
 */
export function verifyServiceAccountToken(key: Buffer, token: string, nowSeconds = Date.now() / 1000): ServiceAccountClaims | null {
  const [header, payload, sig, ...rest] = token.split(".");
  if (header !== HEADER || !payload || !sig || rest.length > 0) return null;
  const want = createHmac("sha256", key).update(`${header}.${payload}`).digest();
  const got = Buffer.from(sig, "base64url");
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      aud?: string[]; exp?: number; "kubernetes.io"?: { namespace?: unknown; serviceaccount?: { name?: unknown; uid?: string }; pod?: { name: string; uid: string } };
    };
    const k = claims["kubernetes.io"];
    if (typeof k?.namespace !== "string" || typeof k.serviceaccount?.name !== "string") return null;
    if (claims.exp !== undefined && !(claims.exp > nowSeconds)) return null;
    return {
      namespace: k.namespace, name: k.serviceaccount.name, ...(k.pod ? { pod: k.pod } : {}), ...(k.serviceaccount.uid ? { uid: k.serviceaccount.uid } : {}),
      ...(claims.aud ? { audiences: claims.aud } : {}), ...(claims.exp !== undefined ? { expiresAt: claims.exp } : {}),
    };
  } catch {
    return null;
  }
}

/** The path of the service-account signing key in a data folder. */
export function serviceAccountKeyPath(dataDir: string): string {
  return join(dataDir, "pki", "sa.key");
}

/** Reads the signing key, creating it (32 random bytes, owner-only) on first use. Does file I/O. */
export function ensureServiceAccountKey(dataDir: string): Buffer {
  return ensureKeyFile(serviceAccountKeyPath(dataDir));
}
