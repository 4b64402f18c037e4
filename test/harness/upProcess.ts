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
  /** Its pod and service ranges (CIDRs), as given or drawn. */
  ranges: { pods: string; services: string };
  /** SIGTERM, wait for the exit, remove the data folder. */
  stop(): Promise<void>;
}

/** How long to wait for `up`, and its extra environment (LOG_LEVEL=warn, say, so that a slow start says why). */
export interface StartUpOptions {
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

/** Starts `coxswain up --data-dir <fresh> --http 0 …args` and waits until it is up. */
/**
 * A pod range and a service range drawn at random for a system whose arguments name none: end-to-end files run two
 * at a time, and two systems on the default ranges would give their process pods and service proxies the same
 * addresses. Pod ranges from 127.112/16 to 127.231/16, service ranges from 127.60/16 to 127.95/16 (apart from the
 * defaults, 127.244/16 and 127.96/12, and from the cluster DNS's 127.53.0.10).
 */
function rangesOfItsOwn(args: readonly string[]): string[] {
  const draw = (from: number, count: number) => from + Math.floor(Math.random() * count);
  return [
    ...(args.includes("--cluster-cidr") ? [] : ["--cluster-cidr", `127.${draw(112, 120)}.0.0/16`]),
    ...(args.includes("--service-cluster-ip-range") ? [] : ["--service-cluster-ip-range", `127.${draw(60, 36)}.0.0/16`]),
  ];
}

/** Whether `ip` (dotted IPv4) is inside `cidr`. Pure. */
export function inRange(cidr: string, ip: string): boolean {
  const toInt = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const [base = "", bits = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(toInt(base) / size) * size;
  return /^\d+\.\d+\.\d+\.\d+$/.test(ip) && toInt(ip) >= start && toInt(ip) < start + size;
}

export async function startUp(args: string[], opts: StartUpOptions = {}): Promise<UpProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "cox-up-"));
  const all = [...rangesOfItsOwn(args), ...args];
  const valueOf = (flag: string) => all[all.indexOf(flag) + 1] ?? "";
  const proc = startCli("coxswain", ["up", "--data-dir", dataDir, "--http", "0", ...all], opts.env);
  try {
    await proc.waitFor("Coxswain is up", opts.readyTimeoutMs ?? 60_000);
  } catch (err) {
    proc.child.kill("SIGKILL");
    throw err;
  }
  return {
    proc, dataDir,
    url: readFileSync(join(dataDir, "nats.url"), "utf8").trim(),
    ranges: { pods: valueOf("--cluster-cidr"), services: valueOf("--service-cluster-ip-range") },
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
