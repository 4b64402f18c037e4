/**
 * HTTP authentication: the bearer tokens of the data folder's users (one per credentials file) and who a request's
 * `Authorization: Bearer …` header says it is.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { statSync } from "node:fs";
import { StatusError } from "../api/status.js";
import type { Role } from "./roles.js";
import { credentialsDir, ensureTokens, listCredentials, type Credentials } from "./credentials.js";

/** Who an authenticated request comes from: the user, its role, and the namespace of a tenant or the node of a node's own user. */
export interface Identity {
  user: string;
  role: Role;
  namespace?: string;
  node?: string;
}

/** The identity that credentials stand for. Pure. */
export function identityOf(c: Credentials): Identity {
  const scope = c.scope ? (c.role === "tenant" ? { namespace: c.scope } : c.role === "node" ? { node: c.scope } : {}) : {};
  return { user: c.user, role: c.role, ...scope };
}

interface Entry {
  digest: Buffer;
  credentials: Credentials;
}

/**
 * The tokens of a data folder's users. It re-reads the credentials folder whenever that folder changed (a user added
 * by `coxswain credentials add-tenant` while the API runs counts at its first request, as nats-server takes it on
 * SIGHUP); every write there is a rename, so a reload never sees half a file.
 */
export class TokenStore {
  private entries: Entry[] = [];
  private seen: string | null = null;

  private constructor(private readonly dataDir: string) {}

  /** Opens the store of `dataDir`, first giving a token to every user that lacks one (a data folder made before tokens). */
  static open(dataDir: string): TokenStore {
    ensureTokens(dataDir);
    const store = new TokenStore(dataDir);
    store.refresh();
    return store;
  }

  /** The identity whose token is `token`, or null. Every entry is compared, in constant time, whatever matches. */
  lookup(token: string): Identity | null {
    this.refresh();
    const digest = sha256(token);
    let found: Credentials | null = null;
    for (const e of this.entries) if (timingSafeEqual(e.digest, digest)) found = e.credentials;
    return found ? identityOf(found) : null;
  }

  /** The credentials of `user` (for a connection as that user), or undefined. */
  credentials(user: string): Credentials | undefined {
    this.refresh();
    return this.entries.find((e) => e.credentials.user === user)?.credentials;
  }

  /** Re-reads the credentials when the folder changed since the last read; a folder that cannot be read leaves no users. */
  private refresh(): void {
    let changed: string;
    try {
      const st = statSync(credentialsDir(this.dataDir), { bigint: true });
      changed = `${st.mtimeNs}/${st.ctimeNs}`;
    } catch {
      this.entries = [];
      this.seen = null;
      return;
    }
    if (changed === this.seen) return;
    this.entries = listCredentials(this.dataDir).flatMap((c) => (c.token ? [{ digest: sha256(c.token), credentials: c }] : []));
    this.seen = changed;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. Pure. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1] ?? null;
}

/** The identity of a request's `Authorization` header (`Bearer <token>`), or null when it is absent, malformed or unknown. */
export function authenticateToken(store: TokenStore, header: string | undefined): Identity | null {
  const token = bearerToken(header);
  return token ? store.lookup(token) : null;
}

/** The 401 of a request without a known token, as the apiserver words it. */
export function unauthorized(): StatusError {
  return new StatusError("Unauthorized", "Unauthorized");
}

function sha256(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}
