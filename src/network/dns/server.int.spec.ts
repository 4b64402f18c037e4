import { promises as dns } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterDns } from "./records.js";
import { startDnsServer, type DnsServer } from "./server.js";

const table = new ClusterDns();
let server: DnsServer;
let resolver: dns.Resolver;

beforeAll(async () => {
  server = await startDnsServer(table, `127.53.${Math.floor(Math.random() * 250)}.1`);
  resolver = new dns.Resolver({ timeout: 2_000, tries: 1 });
  resolver.setServers([`${server.host}:${server.port}`]);
});
afterAll(async () => server.close());

describe("the cluster DNS server, asked by Node's own resolver (c-ares) over the wire", () => {
  it("answers A and SRV from the table, follows changes, and says NXDOMAIN for unknown names", async () => {
    table.setServices([{ namespace: "default", name: "web", clusterIP: "127.96.0.10", ports: [{ name: "http", port: 80, protocol: "TCP" }], endpoints: [] }]);
    expect(await resolver.resolve4("web.default.svc.cluster.local")).toEqual(["127.96.0.10"]);
    expect(await resolver.resolveSrv("_http._tcp.web.default.svc.cluster.local")).toEqual([{ name: "web.default.svc.cluster.local", port: 80, priority: 0, weight: 100 }]);
    await expect(resolver.resolve4("db.default.svc.cluster.local")).rejects.toMatchObject({ code: "ENOTFOUND" });
    table.setServices([{ namespace: "default", name: "db", clusterIP: null, ports: [], endpoints: [{ ip: "127.244.0.7" }, { ip: "127.244.1.7" }] }]);
    expect((await resolver.resolve4("db.default.svc.cluster.local")).sort()).toEqual(["127.244.0.7", "127.244.1.7"]);
    await expect(resolver.resolve4("example.com")).rejects.toMatchObject({ code: "EREFUSED" });
  });
});
