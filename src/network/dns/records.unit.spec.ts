import { describe, expect, it } from "vitest";
import { ClusterDns, resolvConf, searchCandidates } from "./records.js";

function table() {
  const t = new ClusterDns();
  t.setServices([
    { namespace: "default", name: "web", clusterIP: "127.96.0.10", ports: [{ name: "http", port: 80, protocol: "TCP" }], endpoints: [{ ip: "127.244.0.2" }] },
    { namespace: "db", name: "pg", clusterIP: null, ports: [{ name: "sql", port: 5432, protocol: "TCP" }], endpoints: [{ ip: "127.244.1.2", hostname: "pg-0" }, { ip: "127.244.2.2", hostname: "pg-1" }] },
  ]);
  t.setPods([{ namespace: "default", ip: "127.244.0.2" }]);
  return t;
}

describe("cluster DNS answers", () => {
  it("a service name answers its clusterIP; a headless one every ready pod", () => {
    expect(table().resolve("web.default.svc.cluster.local.", "A").answers.map((a) => a.data)).toEqual(["127.96.0.10"]);
    expect(table().resolve("pg.db.svc.cluster.local", "A").answers.map((a) => a.data)).toEqual(["127.244.1.2", "127.244.2.2"]);
  });
  it("stable per-pod names of a headless service, and pod names by IP", () => {
    expect(table().resolve("pg-1.pg.db.svc.cluster.local", "A").answers.map((a) => a.data)).toEqual(["127.244.2.2"]);
    expect(table().resolve("127-244-0-2.default.pod.cluster.local", "A").answers.map((a) => a.data)).toEqual(["127.244.0.2"]);
    expect(table().resolve("127-244-0-9.default.pod.cluster.local", "A").rcode).toBe("NXDOMAIN");
  });
  it("SRV for named ports: the service, or each pod of a headless one", () => {
    expect(table().resolve("_http._tcp.web.default.svc.cluster.local", "SRV").answers).toEqual([
      { type: "SRV", name: "_http._tcp.web.default.svc.cluster.local", ttl: 5, data: { priority: 0, weight: 100, port: 80, target: "web.default.svc.cluster.local" } },
    ]);
    expect(table().resolve("_sql._tcp.pg.db.svc.cluster.local", "SRV").answers.map((a) => (a.data as { target: string }).target))
      .toEqual(["pg-0.pg.db.svc.cluster.local", "pg-1.pg.db.svc.cluster.local"]);
    expect(table().resolve("_nope._tcp.web.default.svc.cluster.local", "SRV").rcode).toBe("NXDOMAIN");
  });
  it("anything else in the domain is NXDOMAIN; a known name asked for another type is an empty NOERROR", () => {
    expect(table().resolve("nope.default.svc.cluster.local", "A").rcode).toBe("NXDOMAIN");
    expect(table().resolve("web.other.svc.cluster.local", "A").rcode).toBe("NXDOMAIN");
    expect(table().resolve("web.default.svc.cluster.local", "AAAA")).toEqual({ rcode: "NOERROR", answers: [] });
  });
  it("the search path makes short names resolve from a pod's namespace", () => {
    expect(searchCandidates("web", "default")[0]).toBe("web.default.svc.cluster.local");
    expect(searchCandidates("web.default", "team")).toContain("web.default.svc.cluster.local");
    expect(resolvConf("127.53.0.1:53", "team")).toContain("search team.svc.cluster.local svc.cluster.local cluster.local");
  });
});
