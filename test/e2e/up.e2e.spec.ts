import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { connect } from "@nats-io/transport-node";
import { startCli, type RunningProcess } from "../harness/processes.js";
import { createNamespace, sendCommand } from "../harness/commands.js";
import { eventually } from "../harness/natsServer.js";
import { sampleOf } from "../harness/promText.js";

describe("coxswain up on the embedded default", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cox-up-"));
  const running: RunningProcess[] = [];
  afterAll(async () => {
    for (const p of running) p.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function up(): Promise<{ proc: RunningProcess; url: string; admin: { user: string; pass: string } }> {
    const proc = startCli("coxswain", ["up", "--data-dir", dataDir, "--http", "0", "--metrics-bind-address", "127.0.0.1:0"]);
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

    // One /metrics for the parts of the process: its entities (default and demo at least), its leading controllers, its agents.
    const metricsUrl = /metrics at (http:\S+)/.exec(first.proc.output())?.[1] ?? "";
    const scraped = await eventually(async () => {
      const text = await (await fetch(metricsUrl)).text();
      return sampleOf(text, 'leader_election_master_status{name="controllers"}') === 1 ? text : undefined;
    }, 30_000);
    expect(sampleOf(scraped, "coxswain_actor_live_entities")).toBeGreaterThanOrEqual(2);
    expect(sampleOf(scraped, "coxswain_node_agents")).toBe(3);

    first.proc.child.kill("SIGTERM");
    expect((await first.proc.exited).code).toBe(0);
    await expect(fetch(metricsUrl)).rejects.toThrow();
    await expect(connect({ servers: first.url, reconnect: false, timeout: 1000 })).rejects.toThrow();

    const second = await up();
    const nc2 = await connect({ servers: second.url, ...second.admin });
    const again = await sendCommand(nc2, "cox.cmd.namespaces._.demo", createNamespace("demo"));
    expect(again).toMatchObject({ ok: false, status: { reason: "AlreadyExists" } });
    await nc2.close();
    second.proc.child.kill("SIGTERM");
    expect((await second.proc.exited).code).toBe(0);
  });

  it("falls back to free ports when 4222 and the HTTP port are taken, records the NATS URL in the data folder, and serves there", async () => {
    // Hold 4222 (unless another NATS already does: then it is taken either way) and an HTTP port.
    const hold = (port: number) => new Promise<Server | null>((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(null));
      srv.listen(port, "127.0.0.1", () => resolve(srv));
    });
    const natsHold = await hold(4222);
    const httpHold = (await hold(0))!;
    const httpPort = (httpHold.address() as { port: number }).port;
    const folder = mkdtempSync(join(tmpdir(), "cox-ports-"));
    try {
      const proc = startCli("coxswain", ["up", "--data-dir", folder, "--http", String(httpPort), "--nodes", "0", "--auth", "none"]);
      running.push(proc);
      await proc.waitFor(/HTTP API: http:\/\/127\.0\.0\.1:\d+/, 60_000);
      const url = readFileSync(join(folder, "nats.url"), "utf8").trim();
      expect(url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toMatch(/:4222$/);
      expect(proc.output()).toContain(`port 4222 is taken (another NATS may run there); the managed nats-server listens on ${url}`);
      const served = /HTTP API: http:\/\/127\.0\.0\.1:(\d+)/.exec(proc.output())?.[1];
      expect(served).toMatch(/^\d+$/);
      expect(Number(served)).not.toBe(httpPort);
      const nc = await connect({ servers: url });
      expect(await sendCommand(nc, "cox.cmd.namespaces._.ports", createNamespace("ports"))).toMatchObject({ ok: true });
      await nc.close();
      const list = await (await fetch(`http://127.0.0.1:${served}/api/v1/namespaces`)).json() as { items: { metadata: { name: string } }[] };
      expect(list.items.map((n) => n.metadata.name)).toContain("default");
      proc.child.kill("SIGTERM");
      expect((await proc.exited).code).toBe(0);
    } finally {
      natsHold?.close();
      httpHold.close();
      rmSync(folder, { recursive: true, force: true });
    }
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
