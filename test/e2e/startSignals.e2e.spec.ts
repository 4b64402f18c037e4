/** SIGTERM at any moment of `coxswain up`'s start ends in a clean stop: exit 0, and no managed nats-server left behind. */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCli, type RunningProcess } from "../harness/processes.js";

/** Resolves when `check` holds, polling; rejects at the deadline. */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("SIGTERM while coxswain up is starting", () => {
  const dirs: string[] = [];
  const running: RunningProcess[] = [];
  afterAll(() => {
    for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    for (const d of dirs) {
      // Should a stop have failed, the nats-server it left behind is ended by its pid (this test started it).
      const pid = Number(existsSync(join(d, "nats-server.pid")) ? readFileSync(join(d, "nats-server.pid"), "utf8").trim() : 0);
      if (pid && existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(d)) process.kill(pid, "SIGKILL");
      rmSync(d, { recursive: true, force: true });
    }
  });

  /** Starts `up`, sends SIGTERM once `moment` is reached, and returns how the process ended and the managed server's pid. */
  async function termAt(moment: (dataDir: string, proc: RunningProcess) => Promise<void>) {
    const dataDir = mkdtempSync(join(tmpdir(), "cox-sig-"));
    dirs.push(dataDir);
    const proc = startCli("coxswain", ["up", "--data-dir", dataDir, "--http", "0", "--nodes", "1"], { LOG_LEVEL: "info" });
    running.push(proc);
    await moment(dataDir, proc);
    proc.child.kill("SIGTERM");
    const exit = await proc.exited;
    const pidFile = join(dataDir, "nats-server.pid");
    const serverPid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : undefined;
    return { exit, serverAlive: serverPid !== undefined && existsSync(`/proc/${serverPid}`), output: proc.output() };
  }

  it("stops cleanly with exit 0 at each moment of the start, leaving no nats-server behind", async () => {
    const results = await Promise.all([
      // while the managed server is being set up (its credentials are written just before it starts)
      termAt(async (dataDir) => until(() => existsSync(join(dataDir, "credentials")), "the credentials folder")),
      // once the managed server runs, before the components start
      termAt(async (dataDir) => until(() => existsSync(join(dataDir, "nats-server.pid")), "the server's pid file")),
      // once the controllers lead, before the nodes start
      termAt(async (_d, proc) => proc.waitFor("leading: controllers started", 60_000)),
    ]);
    for (const r of results) {
      expect({ exit: r.exit, serverAlive: r.serverAlive }, r.output).toEqual({ exit: { code: 0, signal: null }, serverAlive: false });
    }
  });
});
