/**
 * Kubeconfigs for the HTTP API: one user's token, the cluster CA and the server, in the file kubectl and the client
 * libraries read. `ensureKubeconfig` writes the admin's to `<data-dir>/kubeconfig` and records the server's URL there.
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { credentialsPath, ensureCredentials, readCredentials } from "./credentials.js";
import { ensurePki } from "./pki.js";
import { recordedServerUrl, recordServerUrl } from "./serverUrl.js";

/** The name of the cluster, the context and (with the user's name) the entries of every kubeconfig Coxswain writes. */
export const CONTEXT_NAME = "coxswain";

/** What a kubeconfig is made of. A tenant's context defaults to its namespace. */
export interface KubeconfigInput {
  user: string;
  server: string;
  caPem: string;
  token: string;
  namespace?: string | undefined;
}

/** The kubeconfig YAML (apiVersion v1, kind Config) with one cluster, one user and one current context. Pure. */
export function kubeconfigFor(input: KubeconfigInput): string {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: CONTEXT_NAME, cluster: { server: input.server, "certificate-authority-data": Buffer.from(input.caPem).toString("base64") } }],
    users: [{ name: input.user, user: { token: input.token } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: input.user, ...(input.namespace ? { namespace: input.namespace } : {}) } }],
    "current-context": CONTEXT_NAME,
    preferences: {},
  };
  return stringify(config);
}

/** An unknown user or a data folder without the API's URL: the CLI prints the message and exits 1. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

/**
 * The kubeconfig of `user` of the data folder: its token, the data folder's CA (created when missing) and `server`,
 * else the URL recorded by `ensureKubeconfig`. Throws KubeconfigError naming what is missing.
 */
export async function kubeconfigOfUser(dataDir: string, user: string, server?: string): Promise<string> {
  const path = credentialsPath(dataDir, user);
  if (!existsSync(path)) throw new KubeconfigError(`no user "${user}" in ${dataDir} (no ${path}); users are made by \`coxswain up\` and \`coxswain credentials add-tenant|add-node\``);
  const c = ensureCredentials(dataDir, user, readCredentials(path).role);
  const url = server ?? recordedServerUrl(dataDir);
  if (!url) throw new KubeconfigError(`the HTTPS API of ${dataDir} has not run yet, so its URL is unknown: pass --server https://HOST:PORT`);
  const { caPem } = await ensurePki(dataDir);
  return kubeconfigFor({ user, server: url, caPem, token: c.token as string, namespace: c.role === "tenant" ? c.scope : undefined });
}

/**
 * Writes the admin's kubeconfig to `<data-dir>/kubeconfig` (owner-only; admin credentials and TLS material are created
 * when missing) and records `serverUrl` for later kubeconfigs. Returns the file's path. Called by whoever starts the API.
 */
export async function ensureKubeconfig(dataDir: string, serverUrl: string): Promise<string> {
  ensureCredentials(dataDir, "admin", "admin");
  recordServerUrl(dataDir, serverUrl);
  const path = join(dataDir, "kubeconfig");
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, await kubeconfigOfUser(dataDir, "admin", serverUrl), { mode: 0o600 });
  renameSync(temporary, path);
  return path;
}
