import { describe, expect, it } from "vitest";
import { service, serviceColumns } from "./service.js";
import { externalDefaults, isCidr } from "./serviceExternal.js";
import { allocates } from "../actors/service/nodePorts.js";

const target = { namespace: "default", name: "web" };
const parse = (spec: Record<string, unknown>) => service.codec.parseManifest("v1", { metadata: { name: "web" }, spec: { ports: [{ port: 80 }], ...spec } }, target);
const refusal = (spec: Record<string, unknown>) => {
  try {
    parse(spec);
  } catch (err) {
    return (err as Error).message;
  }
  return "accepted";
};

describe("a Service's external and address-family fields", () => {
  it("accepts what Helm charts write for a LoadBalancer service, as given", () => {
    const spec = {
      type: "LoadBalancer", loadBalancerIP: "203.0.113.7", loadBalancerSourceRanges: ["10.0.0.0/8", "2001:db8::/32"], loadBalancerClass: "example.com/internal",
      allocateLoadBalancerNodePorts: false, externalIPs: ["192.0.2.1", "2001:db8::1"], externalTrafficPolicy: "Local", internalTrafficPolicy: "Local",
      trafficDistribution: "PreferClose", ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", publishNotReadyAddresses: true, healthCheckNodePort: 30999,
    };
    expect(parse(spec).spec).toMatchObject(spec);
  });

  it("refuses invalid values with Kubernetes' Status, naming the field", () => {
    expect(refusal({ type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8", "x"] }))
      .toBe('Service "web" is invalid: data.spec.loadBalancerSourceRanges[1]: Invalid value: "x": must be a valid CIDR (for example, 10.240.0.0/24)');
    expect(refusal({ type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.1"] })).toMatch(/loadBalancerSourceRanges\[0\]: Invalid value: "10.0.0.1"/);
    expect(refusal({ loadBalancerSourceRanges: ["10.0.0.0/8"] })).toMatch(/data.spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'/);
    expect(refusal({ externalIPs: ["1.2.3"] })).toMatch(/data.spec.externalIPs\[0\]: Invalid value: "1.2.3": must be a valid IP address/);
    expect(refusal({ type: "LoadBalancer", loadBalancerClass: "nodomain" })).toMatch(/data.spec.loadBalancerClass: Invalid value: "nodomain"/);
    expect(refusal({ loadBalancerClass: "example.com/x" })).toMatch(/loadBalancerClass: Forbidden/);
    expect(refusal({ externalTrafficPolicy: "Nearest" })).toMatch(/externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"/);
    expect(refusal({ trafficDistribution: "Anywhere" })).toMatch(/trafficDistribution: Unsupported value/);
    expect(refusal({ ipFamilies: ["IPv5"] })).toMatch(/ipFamilies\[0\]: Unsupported value/);
    expect(refusal({ ipFamilyPolicy: "Both" })).toMatch(/ipFamilyPolicy: Unsupported value/);
  });

  it("tells CIDRs of both families from bare addresses and nonsense", () => {
    expect(["10.0.0.0/8", "0.0.0.0/0", "2001:db8::/32", "10.1.2.3/32"].every(isCidr)).toBe(true);
    expect(["10.0.0.0", "10.0.0.0/33", "::/129", "x/8", "10.0.0.0/"].some(isCidr)).toBe(false);
  });

  it("fills in what the apiserver defaults, and drops what only a LoadBalancer has from other types", () => {
    expect(externalDefaults({ type: "ClusterIP" })).toEqual({ type: "ClusterIP", ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", internalTrafficPolicy: "Cluster" });
    expect(externalDefaults({ type: "LoadBalancer" })).toEqual({
      type: "LoadBalancer", ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", internalTrafficPolicy: "Cluster", externalTrafficPolicy: "Cluster", allocateLoadBalancerNodePorts: true,
    });
    expect(externalDefaults({ type: "NodePort", allocateLoadBalancerNodePorts: false, healthCheckNodePort: 30001 })).not.toHaveProperty("allocateLoadBalancerNodePorts");
    expect(externalDefaults({ type: "ExternalName" })).toEqual({ type: "ExternalName" });
  });

  it("gives node ports to NodePort services, and to LoadBalancer ones unless allocateLoadBalancerNodePorts is false", () => {
    expect(allocates({ type: "NodePort", sessionAffinity: "None" })).toBe(true);
    expect(allocates({ type: "LoadBalancer", sessionAffinity: "None" })).toBe(true);
    expect(allocates({ type: "LoadBalancer", sessionAffinity: "None", allocateLoadBalancerNodePorts: false })).toBe(false);
    expect(allocates({ type: "ClusterIP", sessionAffinity: "None" })).toBe(false);
  });

  it("shows externalIPs in EXTERNAL-IP, as kubectl does", () => {
    const cell = (spec: Record<string, unknown>) => (serviceColumns[3]?.cell as (o: unknown, now: Date) => unknown)({ metadata: {}, spec }, new Date());
    expect(cell({ type: "ClusterIP", externalIPs: ["192.0.2.1", "192.0.2.2"] })).toBe("192.0.2.1,192.0.2.2");
    expect(cell({ type: "LoadBalancer" })).toBe("<pending>");
  });
});
