/** Running the real kubectl binary against a kubeconfig, as a user would. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";
import { dirname, join } from "node:path";
import { startUp, type UpProcess } from "./upProcess.js";

/** The kubectl to test with: `KUBECTL`, else the one on the PATH (`.ci/run` installs Debian's kubernetes-client when none is there). */
export function kubectlPath(): string {
  const candidates = [process.env.KUBECTL, "/usr/bin/kubectl", "/usr/local/bin/kubectl"].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error("no kubectl on this machine: install Debian's kubernetes-client or set KUBECTL");
  return found;
}

/** What one kubectl run printed and how it exited. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kubectl args…` with KUBECONFIG set, optionally feeding `stdin`. */
export function kubectl(kubeconfig: string, args: string[], stdin?: string, binary = kubectlPath(), env: Record<string, string> = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(binary, args, { env: { ...envFor(kubeconfig), ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** Runs `kubectl args…` and returns what it printed; throws with its stderr when it fails. */
export async function kubectlOk(kubeconfig: string, args: string[]): Promise<string> {
  const r = await kubectl(kubeconfig, args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** A long-running kubectl (`get -w`, `logs -f`) whose output is collected until it is stopped by its pid. */
export function kubectlStream(kubeconfig: string, args: string[], binary = kubectlPath()): { child: ChildProcess; output(): string; stop(): void } {
  const child = spawn(binary, args, { env: envFor(kubeconfig), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => { out += c.toString(); });
  child.stderr?.on("data", (c: Buffer) => { out += c.toString(); });
  return { child, output: () => out, stop: () => { if (child.exitCode === null) child.kill("SIGTERM"); } };
}

/** KUBECONFIG, and a discovery cache beside it so that no earlier server on the same port is remembered. */
function envFor(kubeconfig: string): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dirname(kubeconfig), "kube-cache") };
}

/**
 * A test's kubectl, against the kubeconfig `config()` names (read at each call: it is known once the system is up):
 * `ok` expects exit 0 and returns stdout; `file` writes a file into `dir()` and returns its path.
 */
export function kubectlTools(config: () => string, dir: () => string) {
  const ok = async (...args: string[]) => {
    const r = await kubectl(config(), args);
    expect(r, `kubectl ${args.join(" ")}`).toMatchObject({ code: 0 });
    return r.stdout;
  };
  const file = (name: string, text: string) => {
    const path = join(dir(), name);
    writeFileSync(path, text);
    return path;
  };
  return { ok, file };
}

/** Table lines (kubectl's output) with their runs of spaces as one. Pure. */
export function tableLines(out: string): string[] {
  return out.trim().split("\n").map((l) => l.replace(/\s+/g, " ").trim());
}

/**
 * A `coxswain up` for one describe block's tests, started before them and stopped after them, with their kubectl:
 * `k` runs it, `ok` expects exit 0, `file` writes a file into the system's data folder.
 */
export function kubectlAgainstUp(args: string[] = ["--nodes", "1"]) {
  let up: UpProcess | undefined;
  let config = "";
  const dataDir = () => (up as UpProcess).dataDir;
  beforeAll(async () => {
    up = await startUp(args);
    config = join(up.dataDir, "kubeconfig");
    await up.proc.waitFor(`export KUBECONFIG=${config}`, 5_000);
  });
  afterAll(async () => {
    await up?.stop();
  });
  return { ...kubectlTools(() => config, dataDir), k: (...a: string[]) => kubectl(config, a), config: () => config, dataDir };
}
