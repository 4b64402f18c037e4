/**
 * Where the data folder records the HTTPS API's URL: written by whoever starts the API, read for later kubeconfigs
 * and by node agents giving pods in-cluster access. Apart from kubeconfig.ts so that a reader need not load the
 * YAML and X.509 code a kubeconfig is written with.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file in the data folder that records the HTTPS API's URL. */
export const SERVER_URL_FILE = "apiserver.url";

/** Records `serverUrl` in the data folder. Does file I/O. */
export function recordServerUrl(dataDir: string, serverUrl: string): void {
  writeFileSync(join(dataDir, SERVER_URL_FILE), `${serverUrl}\n`);
}

/** The HTTPS API URL recorded in the data folder, or undefined. Does file I/O. */
export function recordedServerUrl(dataDir: string): string | undefined {
  const file = join(dataDir, SERVER_URL_FILE);
  return existsSync(file) ? readFileSync(file, "utf8").trim() || undefined : undefined;
}
