/** The embedded default: a managed nats-server started from infra/nats.conf in the data folder. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findNatsServer, ManagedNatsServer, NatsServerFailed, portInUse } from "../nats/managedServer.js";
import { recordNatsUrl } from "./config.js";

/** The one command that installs nats-server on Debian or Ubuntu. */
export const INSTALL_HINT = "nats-server is not installed; install it with: sudo apt-get install -y nats-server (or see https://docs.nats.io/running-a-nats-service/introduction/installation)";

/** The configuration file shipped with the project. */
export const NATS_CONF = fileURLToPath(new URL("../../infra/nats.conf", import.meta.url));

/** Returns nats-server's path, installing it with apt-get when running as root on Debian/Ubuntu; null when it cannot. */
export function ensureNatsServer(say: (line: string) => void): string | null {
  const chosen = process.env.COX_NATS_SERVER;
  if (chosen) return findNatsServer(chosen); // the user named a binary: use it or report it missing
  const found = findNatsServer();
  if (found) return found;
  const debian = existsSync("/etc/debian_version") || /ubuntu|debian/i.test(safeRead("/etc/os-release"));
  if (process.getuid?.() === 0 && debian && findOnPath("apt-get")) {
    say("nats-server is missing: installing it with apt-get install -y nats-server …");
    const r = spawnSync("sh", ["-c", "apt-get install -y nats-server || (apt-get update && apt-get install -y nats-server)"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (r.status === 0) return findNatsServer();
  }
  return null;
}

/** Starts the managed server on 4222, or on a free port when 4222 is taken; records the URL in the data folder. */
export async function startEmbeddedNats(dataDir: string, say: (line: string) => void): Promise<ManagedNatsServer> {
  const binary = ensureNatsServer(say);
  if (!binary) throw new EmbeddedNatsError(INSTALL_HINT);
  const taken = await portInUse(4222);
  const server = new ManagedNatsServer({ port: taken ? 0 : 4222, storeDir: join(dataDir, "nats"), configFile: NATS_CONF, binary });
  try {
    await server.start();
  } catch (err) {
    const output = err instanceof NatsServerFailed ? lastLines(err.output) : "";
    throw new EmbeddedNatsError(`could not start nats-server: ${(err as Error).message}${output ? `\n${output}` : ""}`);
  }
  if (taken) say(`port 4222 is taken (another NATS may run there); the managed nats-server listens on ${server.url}`);
  recordNatsUrl(dataDir, server.url);
  return server;
}

/** A failure of the embedded server that the CLI prints in one line and exits non-zero. */
export class EmbeddedNatsError extends Error {
  override name = "EmbeddedNatsError";
}

function findOnPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-5).join("\n");
}
