import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually, startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { connectionAuth, ensureCredentials, listCredentials, credentialsPath } from "./credentials.js";
import { renderAuthorization } from "./natsAuthConfig.js";

describe("roles enforced by nats-server", () => {
  let t: TestNats;
  const dataDir = mkdtempSync(join(tmpdir(), "cox-auth-"));
  beforeAll(async () => {
    ensureCredentials(dataDir, "admin", "admin");
    ensureCredentials(dataDir, "viewer", "viewer");
    ensureCredentials(dataDir, "node", "node");
    ensureCredentials(dataDir, "team-a", "tenant", "team-a");
    ensureCredentials(dataDir, "node-n1", "node", "n1");
    t = await startTestNats({ configText: renderAuthorization(listCredentials(dataDir), "cox") });
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const as = (user: string) => {
    const c = listCredentials(dataDir).find((x) => x.user === user)!;
    return t.connect(connectionAuth(c));
  };

  it("writes credentials readable by the owner only", () => {
    expect(statSync(credentialsPath(dataDir, "viewer")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, "credentials")).mode & 0o777).toBe(0o700);
  });

  it("refuses connections without credentials", async () => {
    await expect(t.connect({ maxReconnectAttempts: 0, reconnect: false })).rejects.toThrow(/Authorization/i);
  });

  it("lets a viewer read but not send commands; a tenant only in its namespace; a node not on the user or controller channels", async () => {
    const admin = await as("admin");
    admin.subscribe("cox.cmd.>", { callback: (_e, m) => { m.respond("{}"); } });
    admin.subscribe("cox.ctl.>", { callback: (_e, m) => { m.respond("{}"); } });
    admin.subscribe("cox.node.>", { callback: (_e, m) => { m.respond("{}"); } });
    admin.subscribe("cox.api.>", { callback: (_e, m) => { m.respond("{}"); } });
    await admin.flush();
    const viewer = await as("viewer");
    await expect(viewer.request("cox.cmd.pods.default.x", "{}", { timeout: 2000 })).rejects.toThrow(/Permissions Violation/i);
    await expect(viewer.request("cox.api.pods.default.list", "{}", { timeout: 2000 })).resolves.toBeTruthy();
    const tenant = await as("team-a");
    await expect(tenant.request("cox.cmd.pods.team-a.x", "{}", { timeout: 2000 })).resolves.toBeTruthy();
    await expect(tenant.request("cox.cmd.pods.team-b.x", "{}", { timeout: 2000 })).rejects.toThrow(/Permissions Violation/i);
    await expect(tenant.request("cox.api.pods.team-b.list", "{}", { timeout: 2000 })).rejects.toThrow(/Permissions Violation/i);
    const node = await as("node");
    await expect(node.request("cox.node.n1.pods.default.x", "{}", { timeout: 2000 })).resolves.toBeTruthy();
    await expect(node.request("cox.ctl.pods.default.x", "{}", { timeout: 2000 })).rejects.toThrow(/Permissions Violation/i);
    await expect(node.request("cox.cmd.pods.default.x", "{}", { timeout: 2000 })).rejects.toThrow(/Permissions Violation/i);
  });

  it("confines a tenant's replies to its own inbox prefix and its watches to its namespace", async () => {
    const tenant = await as("team-a");
    const refusals: string[] = [];
    void (async () => { for await (const s of tenant.status()) if (s.type === "error") refusals.push(String(s.error)); })();
    tenant.subscribe("_INBOX.>");
    tenant.subscribe("cox.watch.team-b.*");
    tenant.subscribe("cox.watch.team-a.w1");
    tenant.publish("cox.watch.team-a.w1");
    tenant.publish("cox.watch.team-a.w1.ping");
    await tenant.flush(); // the server answers each refused operation before the flush's PONG
    await eventually(() => refusals.length >= 3, 5_000, 10);
    expect(refusals.join("\n")).toMatch(/Subscription to "_INBOX\.>"/);
    expect(refusals.join("\n")).toMatch(/Subscription to "cox\.watch\.team-b\.\*"/);
    expect(refusals.join("\n")).toMatch(/Publish to "cox\.watch\.team-a\.w1"/);
    expect(refusals).toHaveLength(3);
  });

  it("gives every other role an inbox of its own: a viewer or a node cannot read the replies meant for others", async () => {
    for (const user of ["viewer", "node"]) {
      const conn = await as(user);
      const refusals: string[] = [];
      void (async () => { for await (const s of conn.status()) if (s.type === "error") refusals.push(String(s.error)); })();
      conn.subscribe("_INBOX.>");
      conn.subscribe("_INBOX_controller.>");
      await conn.flush();
      await eventually(() => refusals.length >= 2, 5_000, 10);
      expect(refusals.join("\n")).toMatch(/Subscription to "_INBOX\.>"/);
      expect(refusals.join("\n")).toMatch(/Subscription to "_INBOX_controller\.>"/);
    }
  });

  it("confines a node's own user to its node's channel and heartbeat key", async () => {
    const admin = await as("admin");
    admin.subscribe("cox.node.>", { callback: (_e, m) => { m.respond("{}"); } });
    await admin.flush();
    const n1 = await as("node-n1");
    await expect(n1.request("cox.node.n1.pods.default.x", "{}", { timeout: 2000 })).resolves.toBeTruthy();
    await expect(n1.request("cox.node.n2.pods.default.x", "{}", { timeout: 2000 })).rejects.toThrow(/Permissions Violation/i);
    await expect(n1.request("$KV.COX_NODE_LEASES.n2", "{}", { timeout: 2000 })).rejects.toThrow(/Permissions Violation/i);
  });
});
