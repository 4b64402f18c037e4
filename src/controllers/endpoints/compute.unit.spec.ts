import { describe, expect, it } from "vitest";
import { pod as makePod } from "../../../test/harness/controllerObjects.js";
import type { Pod } from "../../api/pod.js";
import { service } from "../../api/service.js";
import { endpointSubsets, readyBackends } from "./compute.js";

function pod(name: string, ip: string | undefined, ready: boolean, extra: { port?: { name: string; containerPort: number }; hostname?: string; labels?: Record<string, string>; deleting?: boolean } = {}): Pod {
  const p = makePod(name, { labels: extra.labels ?? { app: "web" }, ready, nodeName: "n1", ...(extra.deleting ? { deleting: true } : {}) });
  const container = { ...p.spec.containers[0]!, ...(extra.port ? { ports: [{ ...extra.port, protocol: "TCP" as const }] } : {}) };
  return { ...p, spec: { ...p.spec, containers: [container], ...(extra.hostname ? { hostname: extra.hostname, subdomain: "web" } : {}) }, status: { ...p.status, ...(ip ? { podIP: ip } : {}) } };
}
const spec = (body: object) => service.codec.parseManifest("v1", { metadata: { name: "web" }, spec: body }, { namespace: "default", name: "web" }).spec;

describe("endpointSubsets", () => {
  it("ready pods with an IP are addresses, others notReadyAddresses; unselected, IP-less and terminating pods are left out", () => {
    const s = spec({ selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] });
    const subsets = endpointSubsets("web", s, [
      pod("a", "127.244.0.3", true), pod("b", "127.244.0.2", true), pod("c", "127.244.1.2", false),
      pod("d", undefined, true), pod("e", "127.244.1.9", true, { labels: { app: "db" } }), pod("f", "127.244.2.2", true, { deleting: true }),
    ]);
    expect(subsets).toEqual([{
      addresses: [
        { ip: "127.244.0.2", nodeName: "n1", targetRef: { kind: "Pod", namespace: "default", name: "b", uid: "uid-b" } },
        { ip: "127.244.0.3", nodeName: "n1", targetRef: { kind: "Pod", namespace: "default", name: "a", uid: "uid-a" } },
      ],
      notReadyAddresses: [{ ip: "127.244.1.2", nodeName: "n1", targetRef: { kind: "Pod", namespace: "default", name: "c", uid: "uid-c" } }],
      ports: [{ port: 8080, protocol: "TCP" }],
    }]);
    expect(readyBackends(subsets, s.ports![0]!)).toEqual([{ ip: "127.244.0.2", port: 8080 }, { ip: "127.244.0.3", port: 8080 }]);
  });
  it("a named targetPort resolves per pod; pods that lack the name are left out; hostnames only for the service's subdomain", () => {
    const s = spec({ selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] });
    const subsets = endpointSubsets("web", s, [
      pod("a", "127.244.0.2", true, { port: { name: "http", containerPort: 8080 }, hostname: "web-0" }),
      pod("b", "127.244.0.3", true, { port: { name: "http", containerPort: 9090 } }),
      pod("c", "127.244.0.4", true),
    ]);
    expect(subsets.map((x) => [x.ports, x.addresses?.map((a) => [a.ip, a.hostname])])).toEqual([
      [[{ name: "http", port: 8080, protocol: "TCP" }], [["127.244.0.2", "web-0"]]],
      [[{ name: "http", port: 9090, protocol: "TCP" }], [["127.244.0.3", undefined]]],
    ]);
  });
  it("publishNotReadyAddresses puts every pod under addresses; no selector means no endpoints", () => {
    expect(endpointSubsets("web", spec({ selector: { app: "web" }, publishNotReadyAddresses: true }), [pod("a", "127.244.0.2", false)])[0]?.addresses).toHaveLength(1);
    expect(endpointSubsets("web", spec({ ports: [{ port: 80 }] }), [pod("a", "127.244.0.2", true)])).toEqual([]);
  });
  it("refuses ports out of range, unnamed ports among several, duplicates", () => {
    expect(() => spec({ ports: [{ port: 0 }] })).toThrow(/between 1 and 65535/);
    expect(() => spec({ ports: [{ port: 80 }, { port: 81 }] })).toThrow(/each must have a name/);
    expect(() => spec({ ports: [{ name: "a", port: 80 }, { name: "b", port: 80 }] })).toThrow(/Duplicate/);
  });
});
