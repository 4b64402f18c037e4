import { describe, expect, it } from "vitest";
import { service, type EndpointSubset } from "../api/service.js";
import { proxyTable, type ProxyService } from "./proxyTable.js";

const svc = (name: string, body: object): ProxyService => ({
  namespace: "default", name, spec: service.codec.parseManifest("v1", { metadata: { name }, spec: body }, { namespace: "default", name }).spec,
});
const ready = (ips: string[], ports: EndpointSubset["ports"], notReady: string[] = []): EndpointSubset => ({
  addresses: ips.map((ip) => ({ ip })), ...(notReady.length ? { notReadyAddresses: notReady.map((ip) => ({ ip })) } : {}), ports,
});

describe("proxyTable", () => {
  it("serves each TCP port of a service with a cluster IP, with only the ready endpoints of that port", () => {
    const web = svc("web", { clusterIP: "127.96.0.5", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }, { name: "admin", port: 81, targetPort: "admin" }, { name: "dns", port: 53, protocol: "UDP" }] });
    const subsets = [
      ready(["127.244.0.2", "127.244.1.2"], [{ name: "http", port: 8080, protocol: "TCP" }, { name: "admin", port: 9000, protocol: "TCP" }], ["127.244.2.2"]),
      ready(["127.244.3.2"], [{ name: "http", port: 8080, protocol: "TCP" }]),
    ];
    expect(proxyTable([web], () => subsets)).toEqual([
      { clusterIP: "127.96.0.5", port: 80, sessionAffinity: "None", backends: [{ ip: "127.244.0.2", port: 8080 }, { ip: "127.244.1.2", port: 8080 }, { ip: "127.244.3.2", port: 8080 }] },
      { clusterIP: "127.96.0.5", port: 81, sessionAffinity: "None", backends: [{ ip: "127.244.0.2", port: 9000 }, { ip: "127.244.1.2", port: 9000 }] },
    ]);
  });

  it("a service with no Endpoints yet is listed with no backends (so its port is refused); headless services are not served", () => {
    const table = proxyTable([svc("a", { clusterIP: "127.96.0.6", ports: [{ port: 80 }] }), svc("db", { clusterIP: "None", ports: [{ port: 5432 }] })], () => undefined);
    expect(table).toEqual([{ clusterIP: "127.96.0.6", port: 80, sessionAffinity: "None", backends: [] }]);
  });

  it("carries ClientIP affinity and its timeout", () => {
    const s = svc("s", { clusterIP: "127.96.0.7", sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] });
    expect(proxyTable([s], () => [ready(["127.244.0.2"], [{ port: 80, protocol: "TCP" }])])).toEqual([
      { clusterIP: "127.96.0.7", port: 80, sessionAffinity: "ClientIP", affinityTimeoutSeconds: 60, backends: [{ ip: "127.244.0.2", port: 80 }] },
    ]);
  });
});
