import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { untypedCommand } from "../nats/commandClient.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Msg } from "@nats-io/transport-node";
import { RESOURCES, RESOURCE_INFO } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import { eventually, startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { connectAs } from "../../test/harness/users.js";
import { isAllowed, subjectOf, VERBS, type ResourceRequest } from "./authorize.js";
import { ensureCredentials, ensureTenant, listCredentials } from "./credentials.js";
import { renderAuthorization } from "./natsAuthConfig.js";
import { identityOf, TokenStore, type Identity } from "./tokens.js";
import { UserConnections } from "./userConnections.js";

const USERS = ["admin", "system", "controller", "node", "node-n1", "viewer", "tenant-alpha"];

describe("the HTTP authorization and a real nats-server agree", () => {
  let t: TestNats;
  let store: TokenStore;
  const dataDir = mkdtempSync(join(tmpdir(), "cox-authz-"));
  const identity = (user: string): Identity => identityOf(store.credentials(user)!);

  beforeAll(async () => {
    for (const role of ["admin", "system", "controller", "node", "viewer"] as const) ensureCredentials(dataDir, role, role);
    ensureCredentials(dataDir, "node-n1", "node", "n1");
    ensureTenant(dataDir, "alpha");
    t = await startTestNats({ configText: renderAuthorization(listCredentials(dataDir), "cox") });
    store = TokenStore.open(dataDir);
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("for every role × verb × resource × namespace, HTTP allows exactly what nats-server lets that user publish (or, for logs, subscribe to)", async () => {
    const requests: ResourceRequest[] = VERBS.flatMap((verb) => RESOURCES.flatMap((resource) => ["alpha", "beta", undefined].flatMap((namespace) => {
      const ns = RESOURCE_INFO[resource].clusterScoped ? undefined : namespace;
      const plain: ResourceRequest = { verb, resource, namespace: ns, name: verb === "list" || verb === "deletecollection" ? undefined : "web" };
      return resource === "pods" && verb === "get" && ns ? [plain, { ...plain, subresource: "log" }] : [plain];
    })));
    const disagreements: string[] = [];
    let checked = 0;
    for (const user of USERS) {
      const who = identity(user);
      const conn = await connectAs(t.url, dataDir, user);
      const verdicts = new Map<string, boolean>();
      for (const req of requests) {
        const check = subjectOf(who, req);
        if (!check) {
          // No subject: the shared node user's writes (it speaks for no one node), which HTTP refuses.
          expect({ user, write: !["get", "list", "watch"].includes(req.verb), allowed: isAllowed(who, req) }).toEqual({ user: "node", write: true, allowed: false });
          continue;
        }
        const key = `${check.side} ${check.subject}`;
        if (!verdicts.has(key)) {
          const verdict = check.side === "publish" ? await conn.publish(check.subject) : await conn.subscribe(check.subject);
          if (verdict.by !== "accepted" && verdict.by !== "server") throw new Error(`${user} ${key}: ${JSON.stringify(verdict)}`);
          verdicts.set(key, verdict.by === "accepted");
          checked++;
        }
        if (verdicts.get(key) !== isAllowed(who, req)) disagreements.push(`${user} ${req.verb} ${req.resource}${req.subresource ? `/${req.subresource}` : ""} ns=${req.namespace ?? "-"} (${key}: nats ${verdicts.get(key) ? "allows" : "refuses"})`);
      }
      await conn.nc.close();
    }
    expect(disagreements).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });

  describe("per-user connections", () => {
    let responder: Awaited<ReturnType<typeof connectAs>>;
    const seen: { subject: string; actor: string | undefined }[] = [];
    beforeAll(async () => {
      responder = await connectAs(t.url, dataDir, "admin");
      const answer = (_e: unknown, m: Msg) => {
        seen.push({ subject: m.subject, actor: m.headers?.get("Cox-Actor") });
        m.respond(JSON.stringify({ ok: true, object: { kind: "Pod" }, version: 1, resourceVersion: "1", events: ["PodCreated"] }));
      };
      for (const s of ["cox.cmd.>", "cox.ctl.>", "cox.node.>"]) responder.nc.subscribe(s, { callback: answer });
      await responder.nc.flush();
    });
    afterAll(async () => responder.nc.close());

    const create = (namespace: string): ResourceRequest => ({ verb: "create", resource: "pods", namespace, name: "web" });
    const ref = (namespace: string) => ({ resource: "pods" as const, namespace, name: "web" });

    it("send each user's writes on its own role's command tree, with its own credentials and inbox", async () => {
      const users = new UserConnections({ url: t.url, credentials: (u) => store.credentials(u) });
      try {
        seen.length = 0;
        for (const user of ["tenant-alpha", "controller", "node-n1", "admin"]) {
          const reply = await users.send(identity(user), create("alpha"), ref("alpha"), untypedCommand({ type: "CreatePod", data: {} }));
          expect(reply.ok).toBe(true);
        }
        expect(seen).toEqual([
          { subject: "cox.cmd.pods.alpha.web", actor: "user/http/tenant-alpha" },
          { subject: "cox.ctl.pods.alpha.web", actor: "user/http/controller" },
          { subject: "cox.node.n1.pods.alpha.web", actor: "user/http/node-n1" },
          { subject: "cox.cmd.pods.alpha.web", actor: "user/http/admin" },
        ]);
        expect(users.users.sort()).toEqual(["admin", "controller", "node-n1", "tenant-alpha"]);
        const again = await users.userConnection(identity("tenant-alpha"));
        expect(again).toBe(await users.userConnection(identity("tenant-alpha")));
        expect(again.info?.client_id).toBeDefined();
      } finally {
        await users.close();
      }
    });

    it("refuse what the user may not do with Forbidden, before anything reaches NATS", async () => {
      const users = new UserConnections({ url: t.url, credentials: (u) => store.credentials(u) });
      try {
        seen.length = 0;
        await expect(users.send(identity("tenant-alpha"), create("beta"), ref("beta"), { type: "CreatePod" })).rejects.toThrow(
          'pods "web" is forbidden: User "tenant-alpha" cannot create resource "pods" in API group "" in the namespace "beta"');
        await expect(users.send(identity("viewer"), create("alpha"), ref("alpha"), { type: "CreatePod" })).rejects.toBeInstanceOf(StatusError);
        await responder.nc.flush();
        expect(seen).toEqual([]);
        expect(users.users).toEqual([]);
      } finally {
        await users.close();
      }
    });

    it("translate a permissions violation from nats-server into the same Forbidden", async () => {
      // Credentials narrower than the identity (an external NATS with its own users): authorize allows, nats-server refuses.
      const users = new UserConnections({ url: t.url, credentials: () => store.credentials("viewer") });
      try {
        const reply = await users.send(identity("tenant-alpha"), create("alpha"), ref("alpha"), { type: "CreatePod" });
        expect(reply).toEqual({ ok: false, status: { code: 403, reason: "Forbidden", details: { kind: "pods", name: "web" },
          message: 'pods "web" is forbidden: User "tenant-alpha" cannot create resource "pods" in API group "" in the namespace "alpha": refused by NATS' } });
      } finally {
        await users.close();
      }
    });

    it("close a connection once idle, but not while it is in use", async () => {
      const users = new UserConnections({ url: t.url, credentials: (u) => store.credentials(u), idleMs: 100 });
      try {
        const idle = await users.userConnection(identity("viewer"));
        await users.withConnection(identity("admin"), async (busy) => {
          await eventually(() => idle.isClosed());
          expect(busy.isClosed()).toBe(false);
        });
        expect(users.users).toEqual(["admin"]);
      } finally {
        await users.close();
      }
    });

    it("close every connection on close", async () => {
      const users = new UserConnections({ url: t.url, credentials: (u) => store.credentials(u) });
      const open = await Promise.all(["admin", "tenant-alpha"].map((u) => users.userConnection(identity(u))));
      await users.close();
      expect(open.map((nc) => nc.isClosed())).toEqual([true, true]);
      await expect(users.userConnection(identity("admin"))).rejects.toThrow(/closed/);
    });
  });
});
