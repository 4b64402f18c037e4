/**
 * SIGTERM at any moment of `coxswain up`'s start ends in a clean stop: exit 0, and no managed nats-server left behind.
 * A terminal's Ctrl-C (SIGINT to the whole foreground process group) while pods run stops as cleanly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { sendCommand } from "../harness/commands.js";
import { startCli, type RunningProcess } from "../harness/processes.js";
import { rcManifest } from "../harness/system.js";

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

describe("Ctrl-C in the terminal of coxswain up", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cox-int-"));
  let proc: RunningProcess | null = null;
  afterAll(() => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
    const pidFile = join(dataDir, "nats-server.pid");
    const pid = Number(existsSync(pidFile) ? readFileSync(pidFile, "utf8").trim() : 0);
    if (pid && existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dataDir)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("stops the parts before the managed nats-server they write to: exit 0, no warning, no server left", async () => {
    // Its own process group, as a shell starts a foreground job: SIGINT to the group reaches every process in it.
    proc = startCli("coxswain", ["up", "--data-dir", dataDir, "--http", "0", "--nodes", "1", "--auth", "none"], { LOG_LEVEL: "info" }, [], { ownGroup: true });
    // The banner's second line names the HTTP API; the first may arrive alone (seen in CI: no URL read).
    await proc.waitFor("(Ctrl-C stops)", 60_000);
    const nc = await connect({ servers: readFileSync(join(dataDir, "nats.url"), "utf8").trim() });
    const http = /HTTP API: (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output())?.[1];
    expect((await sendCommand(nc, "cox.cmd.replicationcontrollers.default.web", { apiVersion: "v1", type: "CreateReplicationController", data: rcManifest("web", 3) })).ok).toBe(true);
    await nc.close();
    const running = async () => {
      const list = await (await fetch(`${http}/api/v1/namespaces/default/pods`)).json() as { items: { status?: { phase?: string } }[] };
      return list.items.filter((p) => p.status?.phase === "Running").length;
    };
    const deadline = Date.now() + 60_000;
    while ((await running()) < 3) {
      if (Date.now() > deadline) throw new Error(`pods not Running in time:\n${proc.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = proc.output().length;
    // Under `npm start` the terminal's SIGINT reaches npm, tsx and up alike, and npm and tsx relay it to their child:
    // up gets it twice. The second must not end up at once, leaving the server it had not stopped yet running.
    process.kill(-(proc.child.pid as number), "SIGINT");
    await proc.waitFor("SIGINT: stopping", 10_000);
    process.kill(proc.child.pid as number, "SIGINT");
    const exit = await proc.exited;
    const after = proc.output().slice(before);
    const warnings = after.split("\n").filter((line) => /"level":(4|5|6)\d/.test(line));
    const pid = Number(readFileSync(join(dataDir, "nats-server.pid"), "utf8").trim());
    expect({ exit, warnings, serverAlive: existsSync(`/proc/${pid}`) }, after).toEqual({ exit: { code: 0, signal: null }, warnings: [], serverAlive: false });
  });
});
