/** Where a process finds NATS and its prefix: flags, then environment, then the data folder, then defaults. */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_PREFIX } from "../events/subjects.js";
import { connectionAuth, credentialsPath, readCredentials } from "../auth/credentials.js";
import { inboxPrefixFor, roleOfUser } from "../auth/roles.js";

/** The default data folder of the embedded system. */
export const DEFAULT_DATA_DIR = ".coxswain";

/** The file in the data folder that records the managed server's URL. */
export const NATS_URL_FILE = "nats.url";

/** Common options of every command. */
export interface CommonFlags {
  nats?: string | undefined;
  prefix?: string | undefined;
  dataDir?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
  credentials?: string | undefined;
}

/** Who to connect as: `--user/--password`, else `--credentials FILE`, else `NATS_USER/NATS_PASSWORD`, else the data folder's `<defaultUser>.json`, else nobody. */
export function authOf(flags: CommonFlags, defaultUser: string): { user: string; pass: string; inboxPrefix?: string } | undefined {
  if (flags.user) return withRoleInbox(flags.user, flags.password ?? "");
  if (flags.credentials) return connectionAuth(readCredentials(flags.credentials));
  if (process.env.NATS_USER) return withRoleInbox(process.env.NATS_USER, process.env.NATS_PASSWORD ?? "");
  if (explicitNatsUrl(flags)) return undefined;
  const file = credentialsPath(dataDirOf(flags), defaultUser);
  if (!existsSync(file)) return undefined;
  return connectionAuth(readCredentials(file));
}

/** The data folder (absolute). */
export function dataDirOf(flags: CommonFlags): string {
  return resolve(flags.dataDir ?? process.env.COX_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/** The NATS URL given explicitly (`--nats`, then `NATS_URL`), or undefined. */
export function explicitNatsUrl(flags: CommonFlags): string | undefined {
  return flags.nats ?? (process.env.NATS_URL || undefined);
}

/** The NATS URL to use: explicit, else the one `coxswain up` recorded in the data folder, else the default. */
export function natsUrlOf(flags: CommonFlags): string {
  const explicit = explicitNatsUrl(flags);
  if (explicit) return explicit;
  const recorded = join(dataDirOf(flags), NATS_URL_FILE);
  if (existsSync(recorded)) {
    const url = readFileSync(recorded, "utf8").trim();
    if (url) return url;
  }
  return "nats://127.0.0.1:4222";
}

/** Records the managed server's URL in the data folder for other processes started from the same place. */
export function recordNatsUrl(dataDir: string, url: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, NATS_URL_FILE), `${url}\n`);
}

/** The subject prefix. */
export function prefixOf(flags: CommonFlags): string {
  return flags.prefix ?? process.env.COX_PREFIX ?? DEFAULT_PREFIX;
}

/** A bare user and password, with the inbox prefix of the role the user name stands for. */
function withRoleInbox(user: string, pass: string): { user: string; pass: string; inboxPrefix?: string } {
  const role = roleOfUser(user);
  const inboxPrefix = role ? inboxPrefixFor(role.role, role.scope) : undefined;
  return { user, pass, ...(inboxPrefix ? { inboxPrefix } : {}) };
}
