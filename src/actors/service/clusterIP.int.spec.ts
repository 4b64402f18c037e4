import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { nodePortCandidates } from "./nodePorts.js";
import { sendCommand } from "../../../test/harness/commands.js";
import { cidrContains, parseCidr } from "../../network/cidr.js";
import { EventStore } from "../../events/eventStore.js";
import { startActors, type ActorHost } from "../index.js";
import { KvClaimStore } from "../claims.js";
import { createActorKinds, DEFAULT_ACTOR_CONFIG } from "../registry.js";

const svc = (type: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: "v1", type, data: { metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } } });
const ipOf = (reply: unknown) => (reply as { object: { spec: { clusterIP: string } } }).object.spec.clusterIP;

describe("service clusterIPs on a real nats-server, with two actor hosts", () => {
  let t: TestNats;
  let nc: NatsConnection;
  const hosts: ActorHost[] = [];
  const prefix = uniqueName("svc");
  const send = (name: string, body: unknown) => sendCommand(nc, `${prefix}.cmd.services.default.${name}`, body);

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    const bucket = uniqueName("CLAIMS").toUpperCase().replace(/[^A-Z0-9_]/g, "_");
    for (let i = 0; i < 2; i++) {
      hosts.push(await startActors(await t.connect(), { prefix, claims: await KvClaimStore.open(nc, { bucket }) }));
    }
  });
  afterAll(async () => {
    for (const h of hosts) await h.stop();
    await t.cleanup();
  });

  it("gives 40 services created at once 40 distinct addresses of the range, across both hosts", async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => send(`s${i}`, svc("CreateService", `s${i}`, {}))));
    const ips = replies.map(ipOf);
    expect(replies.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(new Set(ips).size).toBe(40);
    expect(ips.every((ip) => cidrContains(parseCidr("127.96.0.0/12"), ip))).toBe(true);
  });

  it("refuses an address already taken or outside the range, appending nothing; keeps it on update; frees it on delete", async () => {
    const web = await send("web", svc("CreateService", "web", {}));
    const ip = ipOf(web);
    const store = await EventStore.open(nc, { prefix });
    const before = (await store.lastSequenceOn(`${prefix}.ev.services.default.db`)) ?? 0;
    expect(await send("db", svc("CreateService", "db", { clusterIP: ip }))).toMatchObject({
      ok: false, status: { code: 422, reason: "Invalid", details: { causes: [{ field: "spec.clusterIP", message: "provided IP is already allocated" }] } },
    });
    expect(await send("db", svc("CreateService", "db", { clusterIP: "10.0.0.1" }))).toMatchObject({ ok: false, status: { reason: "Invalid", message: expect.stringMatching(/not in the valid range/) } });
    expect((await store.lastSequenceOn(`${prefix}.ev.services.default.db`)) ?? 0).toBe(before);
    expect(ipOf(await send("web", svc("UpdateService", "web", { ports: [{ port: 81 }] })))).toBe(ip);
    expect(await send("web", svc("UpdateService", "web", { clusterIP: "127.96.9.9" }))).toMatchObject({ ok: false, status: { reason: "Invalid", message: expect.stringMatching(/immutable/) } });
    expect((await send("web", { apiVersion: "v1", type: "DeleteService", data: {} }) as { ok: boolean }).ok).toBe(true);
    expect(ipOf(await send("db", svc("CreateService", "db", { clusterIP: ip })))).toBe(ip);
  });

  it("keeps the address and node port of a Service its finalizers hold once deleted, and frees them with the update that takes the last away", async () => {
    const held = (type: string, finalizers: string[]) => {
      const body = svc(type, "held", { type: "NodePort", ports: [{ port: 80, nodePort: 30090 }] });
      return { ...body, data: { ...body.data, metadata: { name: "held", finalizers } } };
    };
    const ip = ipOf(await send("held", held("CreateService", ["example.com/hold"])));
    expect(await send("held", { apiVersion: "v1", type: "DeleteService", data: {} })).toMatchObject({ ok: true, events: ["ServiceTerminating"] });
    expect(await send("taker", svc("CreateService", "taker", { clusterIP: ip }))).toMatchObject({ ok: false, status: { reason: "Invalid", message: expect.stringMatching(/already allocated/) } });
    expect(await send("taker", svc("CreateService", "taker", { type: "NodePort", ports: [{ port: 80, nodePort: 30090 }] }))).toMatchObject({ ok: false, status: { reason: "Invalid" } });
    expect(await send("held", held("UpdateService", []))).toMatchObject({ ok: true, events: ["ServiceUpdated", "ServiceDeleted"] });
    expect(ipOf(await send("taker", svc("CreateService", "taker", { clusterIP: ip, type: "NodePort", ports: [{ port: 80, nodePort: 30090 }] })))).toBe(ip);
  });

  it("refuses a nodePort another service holds (422 naming the port, nothing appended); frees it when dropped or deleted", async () => {
    const np = (port: number) => ({ type: "NodePort", ports: [{ port: 80, nodePort: port }] });
    expect((await send("np1", svc("CreateService", "np1", np(30080))) as { ok: boolean }).ok).toBe(true);
    const store = await EventStore.open(nc, { prefix });
    const before = (await store.lastSequenceOn(`${prefix}.ev.services.default.np2`)) ?? 0;
    expect(await send("np2", svc("CreateService", "np2", np(30080)))).toMatchObject({
      ok: false, status: { code: 422, reason: "Invalid", details: { causes: [{ field: "spec.ports[0].nodePort", message: "provided port is already allocated" }] } },
    });
    expect((await store.lastSequenceOn(`${prefix}.ev.services.default.np2`)) ?? 0).toBe(before);
    expect((await send("np2", svc("CreateService", "np2", np(30081))) as { ok: boolean }).ok).toBe(true);
    expect((await send("np1", svc("UpdateService", "np1", np(30080))) as { ok: boolean }).ok).toBe(true);
    expect(await send("np2", svc("UpdateService", "np2", np(30080)))).toMatchObject({ ok: false, status: { code: 422 } });
    expect((await send("np1", svc("UpdateService", "np1", np(30082))) as { ok: boolean }).ok).toBe(true);
    expect((await send("np2", svc("UpdateService", "np2", np(30080))) as { ok: boolean }).ok).toBe(true);
    expect((await send("np2", { apiVersion: "v1", type: "DeleteService", data: {} }) as { ok: boolean }).ok).toBe(true);
    expect((await send("np3", svc("CreateService", "np3", np(30080))) as { ok: boolean }).ok).toBe(true);
  });

  it("gives each port of NodePort and LoadBalancer services a free node port of 30000-32767, keeps it on update, frees it when the create fails; defaults targetPort to port", async () => {
    type Reply = { ok: boolean; object: { spec: { ports: { port: number; targetPort: number; nodePort?: number }[] } } };
    const ports = [{ name: "http", port: 80 }, { name: "admin", port: 9000, targetPort: 9090 }];
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => send(`auto${i}`, svc("CreateService", `auto${i}`, { type: i % 2 ? "LoadBalancer" : "NodePort", ports })))) as unknown as Reply[];
    expect(replies.every((r) => r.ok)).toBe(true);
    const given = replies.flatMap((r) => r.object.spec.ports.map((p) => p.nodePort ?? 0));
    expect(new Set(given).size).toBe(40);
    expect(given.every((p) => p >= 30_000 && p <= 32_767)).toBe(true);
    expect(replies[0]?.object.spec.ports.map((p) => p.targetPort)).toEqual([80, 9090]);
    const updated = await send("auto0", svc("UpdateService", "auto0", { type: "NodePort", ports })) as unknown as Reply;
    expect(updated.object.spec.ports.map((p) => p.nodePort)).toEqual(replies[0]?.object.spec.ports.map((p) => p.nodePort));
    expect(((await send("plain", svc("CreateService", "plain", {}))) as unknown as Reply).object.spec.ports[0]?.nodePort).toBeUndefined();

    // Two ports whose candidates meet (this name's do, by their hash) still get two node ports.
    const pair = await send("svc345", svc("CreateService", "svc345", { type: "NodePort", ports: [{ name: "a", port: 80 }, { name: "b", port: 81 }] })) as unknown as Reply;
    expect(new Set(pair.object.spec.ports.map((p) => p.nodePort)).size).toBe(2);
    // The second port asks for a node port another service holds: the one the first port was given here is freed again.
    const failed = await send("half", svc("CreateService", "half", { type: "NodePort", ports: [{ name: "a", port: 1 }, { name: "b", port: 2, nodePort: given[0] }] })) as unknown as Reply;
    expect(failed.ok).toBe(false);
    const tried = nodePortCandidates("default/half", 0).find((p) => !given.includes(p));
    const other = await send("other", svc("CreateService", "other", { type: "NodePort", ports: [{ port: 5, nodePort: tried }] })) as unknown as Reply;
    expect(other.ok).toBe(true);
  });

  it("refuses a node port outside 30000-32767, and drops and frees a service's node ports when it becomes a ClusterIP one", async () => {
    expect(await send("low", svc("CreateService", "low", { type: "NodePort", ports: [{ port: 80, nodePort: 80 }] }))).toMatchObject({
      ok: false, status: { code: 422, details: { causes: [{ field: "spec.ports[0].nodePort", message: "provided port is not in the valid range. The range of valid ports is 30000-32767" }] } },
    });
    expect((await send("was", svc("CreateService", "was", { type: "NodePort", ports: [{ port: 80, nodePort: 31999 }] })) as { ok: boolean }).ok).toBe(true);
    const plain = await send("was", svc("UpdateService", "was", { type: "ClusterIP", ports: [{ port: 80, nodePort: 31999 }] })) as unknown as { object: { spec: { ports: { nodePort?: number }[] } } };
    expect(plain.object.spec.ports[0]?.nodePort).toBeUndefined();
    expect((await send("next", svc("CreateService", "next", { type: "NodePort", ports: [{ port: 80, nodePort: 31999 }] })) as { ok: boolean }).ok).toBe(true);
  });

  it("a LoadBalancer service with allocateLoadBalancerNodePorts: false gets no node port unless asked; the external fields are stored as given, with Kubernetes' defaults", async () => {
    const external = { externalIPs: ["192.0.2.10"], loadBalancerIP: "192.0.2.20", loadBalancerSourceRanges: ["10.0.0.0/8"], loadBalancerClass: "example.com/lb", trafficDistribution: "PreferClose" };
    const lb = await send("lb-noports", svc("CreateService", "lb-noports", {
      type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [{ name: "a", port: 80 }, { name: "b", port: 81, nodePort: 31081 }], ...external,
    }));
    expect(lb).toMatchObject({ ok: true, object: { spec: {
      ...external, allocateLoadBalancerNodePorts: false, ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", internalTrafficPolicy: "Cluster", externalTrafficPolicy: "Cluster",
    } } });
    const ports = (lb as unknown as { object: { spec: { ports: { nodePort?: number }[] } } }).object.spec.ports;
    expect(ports.map((p) => p.nodePort)).toEqual([undefined, 31081]);
    const allocated = await send("lb-ports", svc("CreateService", "lb-ports", { type: "LoadBalancer" }));
    expect(allocated).toMatchObject({ ok: true, object: { spec: { allocateLoadBalancerNodePorts: true, ports: [{ nodePort: expect.any(Number) }] } } });
  });

  it("a headless service gets no address", async () => {
    expect(ipOf(await send("pg", svc("CreateService", "pg", { clusterIP: "None" })))).toBe("None");
  });
});

describe("service clusterIPs from the range the kinds are configured with", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let host: ActorHost | undefined;
  const prefix = uniqueName("svc");
  const range = "127.50.7.0/24";
  const send = (name: string, body: unknown) => sendCommand(nc, `${prefix}.cmd.services.default.${name}`, body);

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    host = await startActors(await t.connect(), { prefix, kinds: createActorKinds({ ...DEFAULT_ACTOR_CONFIG, serviceCidr: range }) });
  });
  afterAll(async () => {
    await host?.stop();
    await t.cleanup();
  });

  it("takes addresses from --service-cluster-ip-range and refuses one outside it", async () => {
    const replies = await Promise.all(["a", "b", "c"].map((name) => send(name, svc("CreateService", name, {}))));
    const ips = replies.map(ipOf);
    expect(ips.every((ip) => cidrContains(parseCidr(range), ip))).toBe(true);
    expect(await send("d", svc("CreateService", "d", { clusterIP: "127.96.0.10" }))).toMatchObject({
      ok: false, status: { reason: "Invalid", message: expect.stringContaining(`The range of valid IPs is ${range}`) },
    });
  });
});
