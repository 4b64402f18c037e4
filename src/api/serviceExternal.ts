/**
 * The fields of a Service's spec that concern traffic from outside the cluster or the address families, as
 * Kubernetes validates and defaults them. Coxswain has no cloud: a load balancer's address, class and source ranges
 * and the external IPs are stored and shown as given, never provisioned or enforced; `allocateLoadBalancerNodePorts:
 * false` is acted on (src/actors/service/nodePorts.ts). Pure.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { DNS_SUBDOMAIN } from "./names.js";
import type { FieldIssue } from "./manifest.js";

/** A CIDR of either family (`10.0.0.0/8`, `2001:db8::/32`); a bare address is not one, as Go's ParseCIDR says. Pure. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf("/");
  if (slash < 0) return false;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** The schema of the external and address-family fields, merged into ServiceSpec. */
export const serviceExternalFields = {
  externalIPs: z.array(z.string()).optional(),
  loadBalancerIP: z.string().optional(),
  loadBalancerSourceRanges: z.array(z.string()).optional(),
  loadBalancerClass: z.string().optional(),
  allocateLoadBalancerNodePorts: z.boolean().optional(),
  externalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
  internalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
  healthCheckNodePort: z.number().int().min(1).max(65535).optional(),
  trafficDistribution: z.enum(["PreferClose", "PreferSameZone", "PreferSameNode"]).optional(),
  ipFamilies: z.array(z.enum(["IPv4", "IPv6"])).max(2, "may specify no more than one IP for each IP family").optional(),
  ipFamilyPolicy: z.enum(["SingleStack", "PreferDualStack", "RequireDualStack"]).optional(),
};

type External = { [K in keyof typeof serviceExternalFields]?: z.infer<(typeof serviceExternalFields)[K]> } & { type: string };

const ONLY_LB = "may only be used when `type` is 'LoadBalancer'";
const CLASS_WORDS = "must be a label-style qualified name with a domain prefix (e.g. 'example.com/my-class'), of a DNS subdomain and a name of at most 63 characters";

/** Whether `value` is a qualified name with a DNS-subdomain prefix, as a loadBalancerClass must be. Pure. */
function isPrefixedName(value: string): boolean {
  const [prefix, name, more] = value.split("/");
  if (more !== undefined || prefix === undefined || name === undefined) return false;
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** The issues Kubernetes' validation finds in these fields, with the spec-relative path of each. Pure. */
export function externalFieldIssues(spec: External): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const lb = spec.type === "LoadBalancer";
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (isIP(ip) === 0) issues.push({ path: ["externalIPs", i], message: `Invalid value: ${JSON.stringify(ip)}: must be a valid IP address` });
  });
  if (spec.loadBalancerSourceRanges?.length) {
    if (!lb) issues.push({ path: ["loadBalancerSourceRanges"], message: `Forbidden: ${ONLY_LB}` });
    spec.loadBalancerSourceRanges.forEach((r, i) => {
      if (!isCidr(r.trim())) issues.push({ path: ["loadBalancerSourceRanges", i], message: `Invalid value: ${JSON.stringify(r)}: must be a valid CIDR (for example, 10.240.0.0/24)` });
    });
  }
  // loadBalancerIP: the apiserver only warns about its form (it is the cloud's to read), so nothing is refused here.
  if (spec.loadBalancerClass !== undefined) {
    if (!lb) issues.push({ path: ["loadBalancerClass"], message: `Forbidden: ${ONLY_LB}` });
    else if (!isPrefixedName(spec.loadBalancerClass)) issues.push({ path: ["loadBalancerClass"], message: `Invalid value: ${JSON.stringify(spec.loadBalancerClass)}: ${CLASS_WORDS}` });
  }
  if (new Set(spec.ipFamilies ?? []).size !== (spec.ipFamilies ?? []).length) issues.push({ path: ["ipFamilies"], message: "Duplicate value: an IP family may be named once" });
  return issues;
}

/**
 * What the apiserver fills in on write, as kubectl then shows it: a service with a cluster address (not ExternalName)
 * gets `ipFamilies: [IPv4]`, `ipFamilyPolicy: SingleStack` and `internalTrafficPolicy: Cluster`; a NodePort or
 * LoadBalancer one `externalTrafficPolicy: Cluster`; a LoadBalancer one `allocateLoadBalancerNodePorts: true`. What
 * only a LoadBalancer has (`allocateLoadBalancerNodePorts`, and `healthCheckNodePort` unless its traffic policy is
 * Local) is dropped from other types, as the apiserver drops it when the type changes, so an edited type is taken. Pure.
 */
export function externalDefaults<S extends External>(spec: S): S {
  const { allocateLoadBalancerNodePorts: _a, healthCheckNodePort: _h, ...rest } = spec;
  const lb = spec.type === "LoadBalancer";
  const kept = {
    ...rest,
    ...(lb && spec.allocateLoadBalancerNodePorts !== undefined ? { allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts } : {}),
    ...(lb && spec.externalTrafficPolicy === "Local" && spec.healthCheckNodePort !== undefined ? { healthCheckNodePort: spec.healthCheckNodePort } : {}),
  } as S;
  if (spec.type === "ExternalName") return kept;
  const external = spec.type === "NodePort" || lb;
  return {
    ...kept,
    ipFamilies: spec.ipFamilies ?? ["IPv4"],
    ipFamilyPolicy: spec.ipFamilyPolicy ?? "SingleStack",
    internalTrafficPolicy: spec.internalTrafficPolicy ?? "Cluster",
    ...(external ? { externalTrafficPolicy: spec.externalTrafficPolicy ?? "Cluster" } : {}),
    ...(lb ? { allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts ?? true } : {}),
  };
}
