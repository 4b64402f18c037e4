/** Credentials of the embedded default: one user per role, generated once into the data folder (owner-only). */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Role } from "./roles.js";

/** A credentials file: who to connect as. */
export const Credentials = z.object({
  user: z.string().min(1),
  password: z.string().min(1),
  role: z.enum(["admin", "system", "controller", "node", "viewer", "tenant"]),
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

/** Returns the user's credentials, creating them (random password, mode 0600) the first time. */
export function ensureCredentials(dataDir: string, user: string, role: Role, scope?: string): Credentials {
  const dir = credentialsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = credentialsPath(dataDir, user);
  if (existsSync(path)) return readCredentials(path);
  const creds: Credentials = { user, password: randomBytes(24).toString("base64url"), role, ...(scope ? { scope } : {}) };
  writeFileSync(path, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return creds;
}

/** Every credentials file in the data folder. */
export function listCredentials(dataDir: string): Credentials[] {
  const dir = credentialsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => readCredentials(join(dir, f)));
}
