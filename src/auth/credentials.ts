/**
 * Credentials of the embedded default: one user per role, generated once into the data folder (owner-only): a NATS
 * password and an HTTP bearer token.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { isDnsLabel } from "../api/names.js";
import { inboxPrefixFor, type Role } from "./roles.js";

/** A credentials file: who to connect as (NATS: user and password; HTTP: the bearer token). */
export const Credentials = z.object({
  user: z.string().min(1),
  password: z.string().min(1),
  /** The bearer token of the HTTP API; files written before it existed lack it until `ensureCredentials`/`ensureTokens`. */
  token: z.string().min(1).optional(),
  role: z.enum(["admin", "system", "controller", "node", "viewer", "tenant", "serviceaccount"]),
  scope: z.string().optional(),
});
export type Credentials = z.infer<typeof Credentials>;

/** The folder that holds the credentials files. */
export function credentialsDir(dataDir: string): string {
  return join(dataDir, "credentials");
}

/** The path of a user's credentials file. */
export function credentialsPath(dataDir: string, user: string): string {
  return join(credentialsDir(dataDir), `${user}.json`);
}

/** Reads a credentials file, with a clear error naming it. */
export function readCredentials(path: string): Credentials {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read credentials ${path}: ${(err as Error).message}`);
  }
  const r = Credentials.safeParse(json);
  if (!r.success) throw new Error(`credentials ${path} are malformed: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}

/**
 * Returns the user's credentials, creating them (random password and token, mode 0600) the first time; credentials
 * written before tokens existed get their token now.
 */
export function ensureCredentials(dataDir: string, user: string, role: Role, scope?: string): Credentials {
  const dir = credentialsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = credentialsPath(dataDir, user);
  if (existsSync(path)) return withToken(dataDir, readCredentials(path));
  const creds: Credentials = { user, password: secret(), token: secret(), role, ...(scope ? { scope } : {}) };
  // Created exclusively: when two processes make the same user at once, both go on with the first one's file.
  return writeCredentials(dataDir, creds, "create") ? creds : readCredentials(path);
}

/** Gives every credentials file of the data folder that lacks one a bearer token (a data folder made before tokens). */
export function ensureTokens(dataDir: string): Credentials[] {
  return listCredentials(dataDir).map((c) => withToken(dataDir, c));
}

function withToken(dataDir: string, c: Credentials): Credentials {
  if (c.token) return c;
  writeCredentials(dataDir, { ...c, token: secret() }, "replace");
  return readCredentials(credentialsPath(dataDir, c.user));
}

/** 24 random bytes, URL-safe: a password or a bearer token. */
function secret(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Writes a credentials file owner-only and whole (a temporary file linked or renamed into place), so that a reader
 * that lists the folder at the same moment (the token store, a configuration reload) never sees half a file.
 * "create" never replaces an existing file and says whether it wrote.
 */
function writeCredentials(dataDir: string, c: Credentials, mode: "create" | "replace"): boolean {
  const path = credentialsPath(dataDir, c.user);
  const temporary = join(credentialsDir(dataDir), `.${c.user}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  if (mode === "replace") {
    renameSync(temporary, path);
    return true;
  }
  try {
    linkSync(temporary, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Every credentials file in the data folder. */
export function listCredentials(dataDir: string): Credentials[] {
  const dir = credentialsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => readCredentials(join(dir, f)));
}

/** The user name of the agent of node `name` (a user that may speak for that node only). Pure. */
export function nodeUser(name: string): string {
  return `node-${name}`;
}

/** Returns the credentials of node `name`'s own user (role `node`, scope `name`), creating them the first time. */
export function ensureNodeCredentials(dataDir: string, name: string): Credentials {
  if (!isDnsLabel(name)) throw new Error(`"${name}" is not a node name (a DNS-1123 label)`);
  return ensureCredentials(dataDir, nodeUser(name), "node", name);
}

/** The user name of the tenant of namespace `ns`. Pure. */
export function tenantUser(ns: string): string {
  return `tenant-${ns}`;
}

/** Returns the credentials of the tenant of namespace `ns` (role `tenant`, scope `ns`), creating them the first time. */
export function ensureTenant(dataDir: string, ns: string): Credentials {
  if (!isDnsLabel(ns)) throw new Error(`"${ns}" is not a namespace name (a DNS-1123 label: lowercase letters, digits and "-", at most 63)`);
  return ensureCredentials(dataDir, tenantUser(ns), "tenant", ns);
}

/** How to connect as these credentials: user, password and, for a tenant, its own inbox prefix. Pure. */
export function connectionAuth(c: Credentials): { user: string; pass: string; inboxPrefix?: string } {
  const inboxPrefix = inboxPrefixFor(c.role, c.scope);
  return { user: c.user, pass: c.password, ...(inboxPrefix ? { inboxPrefix } : {}) };
}
