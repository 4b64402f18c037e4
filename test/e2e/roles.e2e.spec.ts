import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { KubeConfig } from "@kubernetes/client-node";
import { credentialsPath } from "../../src/auth/credentials.js";
import { ReadClient, type Watch } from "../../src/projections/readClient.js";
import { createNamespace, createPod, sendCommand } from "../harness/commands.js";
import { eventually } from "../harness/natsServer.js";
import { startCli } from "../harness/processes.js";
import { startUp, type UpProcess } from "../harness/upProcess.js";
import { connectAs, credentialsOf, type UserConnection } from "../harness/users.js";

/** Resolves with the first watch event for `name`, or fails after the deadline. */
async function seen(watch: Watch, name: string, timeoutMs = 20_000): Promise<string> {
  const timer = setTimeout(() => void watch.stop(), timeoutMs);
  try {
    for await (const e of watch) {
      if ((e.object.metadata as { name?: string } | undefined)?.name === name) return e.type;
    }
    throw new Error(`the watch ended without an event for ${name}`);
  } finally {
    clearTimeout(timer);
    void watch.stop();
  }
}

describe("the users of coxswain up, enforced by nats-server and the actor host", () => {
  let up: UpProcess;
  const users: UserConnection[] = [];
  const as = async (user: string) => {
    const u = await connectAs(up.url, up.dataDir, user);
    users.push(u);
    return u;
  };

  beforeAll(async () => {
    up = await startUp(["--tenant", "team-a", "--tenant", "team-b", "--nodes", "1"]);
    const admin = await as("admin");
    for (const ns of ["team-a", "team-b"]) expect((await sendCommand(admin.nc, `cox.cmd.namespaces._.${ns}`, createNamespace(ns))).ok).toBe(true);
  });
  afterAll(async () => {
    await Promise.allSettled(users.map((u) => u.nc.close()));
    await up?.stop();
  });

  it("writes one owner-only tenant user per --tenant, confined to its namespace", () => {
    for (const ns of ["team-a", "team-b"]) {
      expect(credentialsOf(up.dataDir, `tenant-${ns}`)).toMatchObject({ role: "tenant", scope: ns });
      expect(statSync(credentialsPath(up.dataDir, `tenant-${ns}`)).mode & 0o777).toBe(0o600);
    }
  });

  it("lets a viewer list and watch, and the server refuses its commands", async () => {
    const viewer = await as("viewer");
    expect(await viewer.request("cox.cmd.pods.default.v1", createPod("v1"))).toEqual({ by: "server", reason: "permissions violation" });
    expect(await viewer.request("cox.api.pods.default.list", {})).toMatchObject({ by: "accepted" });
    const watch = await new ReadClient(viewer.nc, "cox").watch("pods", "default");
    const admin = await as("admin");
    expect((await sendCommand(admin.nc, "cox.cmd.pods.default.seen-by-viewer", createPod("seen-by-viewer"))).ok).toBe(true);
    expect(await seen(watch, "seen-by-viewer")).toBe("ADDED");
  });

  it("lets a tenant create, read, watch and follow pods in its namespace, and nothing of another", async () => {
    const tenant = await as("tenant-team-a");
    expect(await tenant.subscribe("cox.ev.pods.team-a.>")).toMatchObject({ by: "accepted" });
    const events = tenant.nc.subscribe("cox.ev.pods.team-a.web", { max: 1 });
    const reads = new ReadClient(tenant.nc, "cox");
    const watch = await reads.watch("pods", "team-a");
    expect(await tenant.request("cox.cmd.pods.team-a.web", createPod("web", "team-a"))).toMatchObject({ by: "accepted" });
    expect(await seen(watch, "web")).toBe("ADDED");
    for await (const m of events) expect(m.json()).toMatchObject({ type: "PodCreated", namespace: "team-a", name: "web" });
    expect(await reads.get("pods", "team-a", "web")).toMatchObject({ metadata: { name: "web", namespace: "team-a" } });
    const refused = { by: "server", reason: "permissions violation" };
    expect(await tenant.request("cox.cmd.pods.team-b.web", createPod("web", "team-b"))).toEqual(refused);
    expect(await tenant.request("cox.api.pods.team-b.list", {})).toEqual(refused);
    expect(await tenant.request("cox.api.pods._all.list", {})).toEqual(refused);
    expect(await tenant.subscribe("cox.ev.pods.team-b.>")).toEqual(refused);
    expect(await tenant.subscribe("cox.watch.team-b.*")).toEqual(refused);
    expect(await tenant.subscribe("_INBOX.>")).toEqual(refused);
    expect(await tenant.request("$JS.API.STREAM.INFO.COX_EVENTS", "")).toEqual(refused);
  });

  it("refuses a node agent's binding, its word for other nodes, and the user and controller channels", async () => {
    const admin = await as("admin");
    expect((await sendCommand(admin.nc, "cox.cmd.pods.team-a.nb", createPod("nb", "team-a"))).ok).toBe(true);
    const node = await as("node");
    const bind = { apiVersion: "v1", type: "BindPod", data: { nodeName: "node-1" } };
    expect(await node.request("cox.node.node-1.pods.team-a.nb", bind)).toMatchObject({ by: "host", reason: "Forbidden" });
    const notReady = { apiVersion: "v1", type: "SetNodeCondition", data: { type: "Ready", status: "False" } };
    expect(await node.request("cox.node.node-1.nodes._.node-2", notReady)).toMatchObject({ by: "host", reason: "Forbidden" });
    const register = { apiVersion: "v1", type: "RegisterNode", data: { metadata: { name: "node-9" } } };
    expect(await node.request("cox.node.node-1.nodes._.node-9", register)).toMatchObject({ by: "host", reason: "Forbidden" });
    expect(await node.request("cox.cmd.pods.team-a.nb", bind)).toEqual({ by: "server", reason: "permissions violation" });
    expect(await node.request("cox.ctl.pods.team-a.nb", bind)).toEqual({ by: "server", reason: "permissions violation" });
  });

  it("refuses a controller's node reports", async () => {
    const controller = await as("controller");
    const started = { apiVersion: "v1", type: "ContainerStarted", data: { container: "app" } };
    expect(await controller.request("cox.node.node-1.pods.team-a.web", started)).toEqual({ by: "server", reason: "permissions violation" });
    expect(await controller.request("cox.ctl.pods.team-a.web", started)).toMatchObject({ by: "host", reason: "Forbidden" });
  });

  it("keeps Secrets sealed in the stream and from the viewer, and lets a tenant read and watch its own", async () => {
    const [admin, viewer, tenant] = [await as("admin"), await as("viewer"), await as("tenant-team-a")];
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const secret = (name: string) => ({ apiVersion: "v1", type: "CreateSecret", data: { metadata: { name, namespace: "team-a" }, stringData: { password: "hunter2-plain" } } });
    const live = viewer.nc.subscribe("cox.ev.secrets.team-a.db", { max: 1 });
    await viewer.nc.flush();
    expect((await sendCommand(admin.nc, "cox.cmd.secrets.team-a.db", secret("db"))).ok).toBe(true);
    for await (const m of live) { // what any reader of the stream gets: the envelope, and the data sealed
      expect(m.json()).toMatchObject({ type: "SecretCreated", namespace: "team-a", name: "db", data: expect.stringMatching(/^k8s:enc:aesgcm:v1:[0-9a-f]{8}:/) });
      expect(m.string()).not.toContain("hunter2-plain");
      expect(m.string()).not.toContain(b64("hunter2-plain"));
    }
    const refused = { by: "server", reason: "permissions violation" };
    expect(await viewer.request("cox.api.secrets.team-a.get", { name: "db" })).toEqual(refused);
    expect(await viewer.request("cox.api.secrets._all.list", {})).toEqual(refused);
    expect(await viewer.request("cox.api.secrets.team-a.watch", {})).toEqual(refused);
    expect(await viewer.subscribe("cox.sealedwatch.*.*")).toEqual(refused);
    expect(await viewer.request("cox.api.pods.team-a.list", {})).toMatchObject({ by: "accepted" });
    const reads = new ReadClient(tenant.nc, "cox");
    expect(await reads.get("secrets", "team-a", "db")).toMatchObject({ type: "Opaque", data: { password: b64("hunter2-plain") } });
    expect((await reads.get("secrets", "team-a", "db")).stringData).toBeUndefined();
    const watch = await reads.watch("secrets", "team-a");
    expect((await sendCommand(admin.nc, "cox.cmd.secrets.team-a.db2", secret("db2"))).ok).toBe(true);
    expect(await seen(watch, "db2")).toBe("ADDED");
    expect(await tenant.subscribe("cox.sealedwatch.team-b.*")).toEqual(refused);
  });

  it("refuses to start a part whose data folder has another encryption key, saying whose key it needs", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "cox-elsewhere-"));
    try {
      const credentials = credentialsPath(up.dataDir, "node"); // the cluster's node user, but not its key
      const node = startCli("coxswain", ["node", "--name", "stranger", "--nats", up.url, "--credentials", credentials, "--data-dir", elsewhere]);
      expect((await node.exited).code).not.toBe(0);
      expect(node.output()).toMatch(/seals Secrets with key [0-9a-f]{8}; this node has key [0-9a-f]{8} \(<data-dir>\/pki\/encryption.key\)\. Refusing to act/);
      const admin = await as("admin");
      expect((await new ReadClient(admin.nc, "cox").list("nodes", null)).items.map((n) => (n.metadata as { name: string }).name)).not.toContain("stranger");
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("adds a tenant to the running server at once with `credentials add-tenant` (SIGHUP reload)", async () => {
    const add = startCli("coxswain", ["credentials", "add-tenant", "team-c", "--data-dir", up.dataDir]);
    expect((await add.exited).code).toBe(0);
    expect(add.output()).toMatch(/reloaded its users/);
    const tenant = await eventually(() => as("tenant-team-c"), 10_000, 100);
    expect(await tenant.request("cox.api.pods.team-c.list", {})).toMatchObject({ by: "accepted", reply: { items: [] } });
    expect(await tenant.request("cox.api.pods.team-a.list", {})).toEqual({ by: "server", reason: "permissions violation" });
    const admin = await as("admin");
    expect((await sendCommand(admin.nc, "cox.cmd.namespaces._.still-served", createNamespace("still-served"))).ok).toBe(true);
  });

  it("prints a kubeconfig for any user with `credentials kubeconfig` (its token, the CA), and refuses an unknown user with exit 1", async () => {
    const printed = startCli("coxswain", ["credentials", "kubeconfig", "tenant-team-a", "--server", "https://127.0.0.1:6443", "--data-dir", up.dataDir]);
    expect((await printed.exited).code).toBe(0);
    const kc = new KubeConfig();
    kc.loadFromString(printed.output());
    expect(kc.getCurrentUser()).toMatchObject({ name: "tenant-team-a", token: credentialsOf(up.dataDir, "tenant-team-a").token });
    expect(kc.getCurrentCluster()).toMatchObject({ server: "https://127.0.0.1:6443", caData: readFileSync(`${up.dataDir}/pki/ca.crt`).toString("base64") });
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe("team-a");
    const unknown = startCli("coxswain", ["credentials", "kubeconfig", "nobody", "--server", "https://127.0.0.1:6443", "--data-dir", up.dataDir]);
    expect((await unknown.exited).code).toBe(1);
    expect(unknown.output()).toMatch(/^coxswain: no user "nobody" in /);
  });

  it("starts an open server with --auth none", async () => {
    const open = await startUp(["--auth", "none", "--nodes", "0"]);
    try {
      const nc = await connect({ servers: open.url, reconnect: false });
      expect((await sendCommand(nc, "cox.cmd.namespaces._.open", createNamespace("open"))).ok).toBe(true);
      await nc.close();
    } finally {
      await open.stop();
    }
  });
});
