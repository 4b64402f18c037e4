import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { startCli, type RunningProcess } from "../harness/processes.js";
import { createNamespace, sendCommand } from "../harness/commands.js";

describe("coxswain up on the embedded default", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cox-up-"));
  const running: RunningProcess[] = [];
  afterAll(async () => {
    for (const p of running) p.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function up(): Promise<{ proc: RunningProcess; url: string; admin: { user: string; pass: string } }> {
    const proc = startCli("coxswain", ["up", "--data-dir", dataDir, "--http", "0"]);
    running.push(proc);
    await proc.waitFor("Coxswain is up", 60_000);
    const creds = JSON.parse(readFileSync(join(dataDir, "credentials", "admin.json"), "utf8")) as { user: string; password: string };
    return { proc, url: readFileSync(join(dataDir, "nats.url"), "utf8").trim(), admin: { user: creds.user, pass: creds.password } };
  }

  it("starts its own nats-server with generated users, takes a CreateNamespace from a plain NATS client, and keeps data across a restart", async () => {
    const first = await up();
    await expect(connect({ servers: first.url, reconnect: false })).rejects.toThrow(/Authorization/i);
    const nc = await connect({ servers: first.url, ...first.admin });
    const events = nc.subscribe("cox.ev.namespaces._.demo", { max: 1 });
    const reply = await sendCommand(nc, "cox.cmd.namespaces._.demo", createNamespace("demo"));
    expect(reply.ok).toBe(true);
    for await (const m of events) expect(m.json()).toMatchObject({ type: "NamespaceCreated", name: "demo", version: 1 });
    const dflt = await sendCommand(nc, "cox.cmd.namespaces._.default", createNamespace("default"));
    expect(dflt).toMatchObject({ ok: false, status: { reason: "AlreadyExists" } });
    await nc.close();

    first.proc.child.kill("SIGTERM");
    expect((await first.proc.exited).code).toBe(0);
    await expect(connect({ servers: first.url, reconnect: false, timeout: 1000 })).rejects.toThrow();

    const second = await up();
    const nc2 = await connect({ servers: second.url, ...second.admin });
    const again = await sendCommand(nc2, "cox.cmd.namespaces._.demo", createNamespace("demo"));
    expect(again).toMatchObject({ ok: false, status: { reason: "AlreadyExists" } });
    await nc2.close();
    second.proc.child.kill("SIGTERM");
    expect((await second.proc.exited).code).toBe(0);
  });

  it("says in one line how to install nats-server when it is missing, and exits non-zero", async () => {
    const proc = startCli("coxswain", ["up", "--data-dir", dataDir], { COX_NATS_SERVER: "nats-server-that-is-not-there" });
    running.push(proc);
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output().trim().split("\n")).toHaveLength(1);
    expect(proc.output()).toMatch(/apt-get install -y nats-server/);
  });
});
