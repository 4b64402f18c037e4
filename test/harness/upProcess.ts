/** `coxswain up` on a fresh data folder as a real process, for end-to-end tests. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCli, type RunningProcess } from "./processes.js";

/** A running `coxswain up`: its process, data folder and the managed server's URL. */
export interface UpProcess {
  proc: RunningProcess;
  dataDir: string;
  url: string;
  /** SIGTERM, wait for the exit, remove the data folder. */
  stop(): Promise<void>;
}

/** How long to wait for `up`, and its extra environment (LOG_LEVEL=warn, say, so that a slow start says why). */
export interface StartUpOptions {
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

/** Starts `coxswain up --data-dir <fresh> --http 0 …args` and waits until it is up. */
export async function startUp(args: string[], opts: StartUpOptions = {}): Promise<UpProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "cox-up-"));
  const proc = startCli("coxswain", ["up", "--data-dir", dataDir, "--http", "0", ...args], opts.env);
  try {
    await proc.waitFor("Coxswain is up", opts.readyTimeoutMs ?? 60_000);
  } catch (err) {
    proc.child.kill("SIGKILL");
    throw err;
  }
  return {
    proc, dataDir,
    url: readFileSync(join(dataDir, "nats.url"), "utf8").trim(),
    async stop() {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill("SIGTERM");
        const timer = setTimeout(() => proc.child.kill("SIGKILL"), 15_000);
        await proc.exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
