import { describe, expect, it } from "vitest";
import type { Pod } from "../api/pod.js";
import { podPort, proxiedLocation, readyEndpoints, servicePort } from "./podProxy.js";
import { proxyRequestOf, splitSchemeNamePort } from "./proxyRoute.js";

const pod = (ports: { name?: string; containerPort: number }[][]) =>
  ({ metadata: { name: "web" }, spec: { containers: ports.map((p, i) => ({ name: `c${i}`, image: "x", ports: p })) } }) as unknown as Pod;

describe("the proxy subresources", () => {
  it("reads `[scheme:]name[:port]` as Kubernetes does, and the path after proxy as sent", () => {
    expect(splitSchemeNamePort("web")).toEqual({ scheme: "http", name: "web", port: "" });
    expect(splitSchemeNamePort("web:8080")).toEqual({ scheme: "http", name: "web", port: "8080" });
    expect(splitSchemeNamePort("https:dash:")).toEqual({ scheme: "https", name: "dash", port: "" });
    expect(splitSchemeNamePort("http:web:metrics")).toEqual({ scheme: "http", name: "web", port: "metrics" });
    for (const bad of ["ftp:web:21", ":80", "a:b:c:d"]) expect(() => splitSchemeNamePort(bad)).toThrow(/invalid proxy target/);
    expect(proxyRequestOf("/api/v1/namespaces/prod/services/https:dash:443/proxy/ui/a%20b", "?x=1")).toEqual({
      route: { type: "resource", version: "v1", resource: "services", namespace: "prod", name: "dash", subresource: "proxy", namespaceInPath: true },
      target: { scheme: "https", port: "443" }, path: "/ui/a%20b?x=1", base: "/api/v1/namespaces/prod/services/https:dash:443/proxy",
    });
    expect(proxyRequestOf("/api/v1/namespaces/prod/pods/web/proxy", "")).toMatchObject({ route: { resource: "pods", name: "web" }, path: "/" });
    for (const other of ["/api/v1/namespaces/prod/pods/web", "/api/v1/namespaces/prod/configmaps/x/proxy/", "/api/v1/nodes/n1/proxy/"]) expect(proxyRequestOf(other, "")).toBeNull();
  });

  it("finds a pod's port by number or name, else its first declared one, else 80", () => {
    const web = pod([[], [{ name: "metrics", containerPort: 9090 }, { containerPort: 8080 }]]);
    expect(podPort(web, "7000")).toBe(7000);
    expect(podPort(web, "metrics")).toBe(9090);
    expect(podPort(web, "")).toBe(9090);
    expect(podPort(pod([[]]), "")).toBe(80);
    expect(() => podPort(web, "admin")).toThrow('no port named "admin" in pod web');
  });

  it("finds a Service's port by name or number, else its only or unnamed one, and the ready endpoints at that port's name", () => {
    const ports = [{ name: "http", port: 80 }, { name: "admin", port: 9000 }];
    expect(servicePort("s", ports, "admin")).toEqual({ name: "admin", port: 9000 });
    expect(servicePort("s", ports, "80")).toEqual({ name: "http", port: 80 });
    expect(servicePort("s", [{ port: 80 }], "")).toEqual({ port: 80 });
    expect(() => servicePort("s", ports, "")).toThrow('no service port "" found for service "s"');
    const subsets = [
      { addresses: [{ ip: "10.0.0.1", targetRef: { name: "a" } }], notReadyAddresses: [{ ip: "10.0.0.9", targetRef: { name: "z" } }], ports: [{ name: "http", port: 8080, protocol: "TCP" as const }] },
      { addresses: [{ ip: "10.0.0.2", targetRef: { name: "b" } }], ports: [{ name: "admin", port: 9001, protocol: "TCP" as const }] },
    ];
    expect(readyEndpoints(subsets, "http")).toEqual([{ ip: "10.0.0.1", pod: "a", port: 8080 }]);
    expect(readyEndpoints(subsets, "admin")).toEqual([{ ip: "10.0.0.2", pod: "b", port: 9001 }]);
    expect(readyEndpoints(subsets, undefined)).toEqual([]);
  });

  it("keeps a redirect to the pod's own path under the proxy path, and any other as it is", () => {
    const base = "/api/v1/namespaces/d/pods/web/proxy";
    const pod = "10.0.0.5:8080";
    expect(proxiedLocation("/login", base, pod)).toBe(`${base}/login`);
    expect(proxiedLocation("http://10.0.0.5:8080/login?x=1", base, pod)).toBe(`${base}/login?x=1`);
    expect(proxiedLocation("http://10.0.0.5:8080", base, pod)).toBe(`${base}/`);
    expect(proxiedLocation("https://example.com/x", base, pod)).toBe("https://example.com/x");
    expect(proxiedLocation("//cdn.example.com/x", base, pod)).toBe("//cdn.example.com/x");
    expect(proxiedLocation("next", base, pod)).toBe("next");
  });
});
