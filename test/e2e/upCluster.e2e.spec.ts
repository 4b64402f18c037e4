/**
 * `coxswain up --cluster 3 --actors 2 --api 2`: three managed nats-servers as one JetStream cluster (each its own
 * port, store and name) with 3 replicas of every stream and bucket, two actor hosts and two read models; `coxctl get
 * cluster` shows it; the loss of any one server is survived; a SIGTERM stops every part, children included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startUp, type UpProcess } from "../harness/upProcess.js";
import { startCli } from "../harness/processes.js";
import { eventually } from "../harness/natsServer.js";
import { createNamespace, sendCommand } from "../harness/commands.js";
import type { ClusterStatus } from "../../src/nats/clusterStatus.js";

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe("coxswain up --cluster 3 --actors 2 --api 2", () => {
  let up: UpProcess;
  let nc: NatsConnection;
  beforeAll(async () => {
    // A fresh JetStream cluster elects its meta leader and a leader for every replicated stream and bucket before the
    // parts start: 11–22 s on an idle machine here, over 60 s once on a busy CI machine. Its warnings say what it
    // waits for, should it not come up in time; the hook has 150 s, the connection's 40 s beyond the wait.
    up = await startUp(["--cluster", "3", "--actors", "2", "--api", "2", "--nodes", "2"], { readyTimeoutMs: 110_000, env: { LOG_LEVEL: "warn" } });
    const admin = JSON.parse(readFileSync(join(up.dataDir, "credentials", "admin.json"), "utf8")) as { user: string; password: string };
    nc = await connect({ servers: up.url.split(","), user: admin.user, pass: admin.password, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  }, 150_000);
  afterAll(async () => {
    await nc?.close();
    await up?.stop();
  });

  async function clusterStatus(): Promise<ClusterStatus> {
    const p = startCli("coxctl", ["get", "cluster", "-o", "json", "--data-dir", up.dataDir]);
    const { code } = await p.exited;
    if (code !== 0) throw new Error(p.output());
    return JSON.parse(p.output()) as ClusterStatus;
  }

  it("runs three servers, replicated streams and every part, and keeps working when one server is killed", async () => {
    expect(up.url.split(",")).toHaveLength(3);
    const status = await eventually(async () => {
      const s = await clusterStatus();
      const count = (c: string) => s.processes.filter((p) => p.component === c).length;
      // up itself announces actors (its actor host and read model share one connection), controllers and node; the
      // children announce one actors and one api
      return count("actors") === 2 && count("api") === 1 && count("controllers") === 1 && count("node") === 1 ? s : null;
    }, 60_000, 500);
    expect(status.servers).toEqual(["cox-1", "cox-2", "cox-3"]);
    const events = status.streams.find((s) => s.name === "COX_EVENTS");
    expect(events).toMatchObject({ replicas: 3 });
    expect(events?.followers).toHaveLength(2);
    for (const s of status.streams) expect(s.replicas, s.name).toBe(3);
    // The same read over HTTP (the plain port; `kubectl get --raw /cluster` on the HTTPS one).
    const port = /HTTP API: http:\/\/127\.0\.0\.1:(\d+)/.exec(up.proc.output())?.[1];
    const overHttp = (await (await fetch(`http://127.0.0.1:${port}/cluster`)).json()) as ClusterStatus & { kind: string };
    expect(overHttp).toMatchObject({ kind: "ClusterStatus", servers: ["cox-1", "cox-2", "cox-3"] });
    expect(overHttp.streams.find((s) => s.name === "COX_EVENTS")).toMatchObject({ replicas: 3 });

    const pids = readFileSync(join(up.dataDir, "nats-server.pid"), "utf8").trim().split("\n").map(Number);
    expect(pids).toHaveLength(3);
    process.kill(pids[0] as number, "SIGKILL");
    const reply = await eventually(async () => {
      const r = await sendCommand(nc, "cox.cmd.namespaces._.after-kill", createNamespace("after-kill", "after-kill-1"), 3_000).catch(() => null);
      return r?.ok ? r : null;
    }, 60_000, 250);
    expect(reply.ok).toBe(true);
    expect(up.proc.child.exitCode).toBeNull();

    const children = status.processes.map((p) => Number(p.identity.split("/").pop())).filter((pid) => pid !== up.proc.child.pid);
    expect(children).toHaveLength(2);
    up.proc.child.kill("SIGTERM");
    expect((await up.proc.exited).code).toBe(0);
    await eventually(() => children.every((pid) => !alive(pid)) && pids.slice(1).every((pid) => !alive(pid)), 20_000, 100);
  });
});
