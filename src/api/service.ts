/**
 * v1 Service and Endpoints, and discovery.k8s.io/v1 EndpointSlice: a stable address (clusterIP, from the service
 * range) and ports in front of the ready pods its selector picks; `clusterIP: None` makes it headless (DNS answers
 * the pods themselves). Endpoints and EndpointSlices are written by the endpoints controller.
 */
import { z } from "zod";
import { ageColumn, column, labelString, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { DnsLabel, ServiceName } from "./names.js";
import { ClientObjectMeta } from "./objectMeta.js";
import { Labels } from "./labels.js";
import { externalFieldIssues, serviceExternalFields } from "./serviceExternal.js";

const Port = z.number().int("must be an integer").min(1, "must be between 1 and 65535, inclusive").max(65535, "must be between 1 and 65535, inclusive");
const Protocol = z.enum(["TCP", "UDP", "SCTP"]);
const IPv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, "must be a valid IPv4 address");

/** One port of a service; `targetPort` is the pods' port, by number or by the name of a container port. */
export const ServicePort = z.strictObject({
  name: DnsLabel.max(15).optional(),
  protocol: Protocol.default("TCP"),
  port: Port,
  targetPort: z.union([Port, DnsLabel.max(15)]).optional(),
  nodePort: z.number().int().min(1).max(65535).optional(),
  appProtocol: z.string().optional(),
});
export type ServicePort = z.infer<typeof ServicePort>;

/** The Service spec (ClusterIP and headless; NodePort ports are recorded; the external fields: serviceExternal.ts). */
export const ServiceSpec = z.strictObject({
  type: z.enum(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]).default("ClusterIP"),
  selector: Labels.optional(),
  ports: z.array(ServicePort).optional(),
  clusterIP: z.union([z.literal("None"), z.literal(""), IPv4]).optional(),
  clusterIPs: z.array(z.union([z.literal("None"), IPv4])).optional(),
  sessionAffinity: z.enum(["None", "ClientIP"]).default("None"),
  sessionAffinityConfig: z.strictObject({ clientIP: z.strictObject({ timeoutSeconds: z.number().int().min(1).max(86_400).optional() }).optional() }).optional(),
  publishNotReadyAddresses: z.boolean().optional(),
  externalName: z.string().optional(),
  ...serviceExternalFields,
}).superRefine((spec, ctx) => {
  for (const issue of externalFieldIssues(spec)) ctx.addIssue({ code: "custom", ...issue });
  const ports = spec.ports ?? [];
  if (ports.length > 1) {
    ports.forEach((p, i) => { if (!p.name) ctx.addIssue({ code: "custom", path: ["ports", i, "name"], message: "Required value: when multiple ports are specified, each must have a name" }); });
  }
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["ports", i], message: `Duplicate value: ${key}` });
    seen.add(key);
  });
});
export type ServiceSpec = z.infer<typeof ServiceSpec>;

/** One address of an Endpoints subset. */
export const EndpointAddress = z.strictObject({
  ip: IPv4,
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  targetRef: z.looseObject({ kind: z.string().optional(), namespace: z.string().optional(), name: z.string().optional(), uid: z.string().optional() }).optional(),
});
/** One port of an Endpoints subset. */
export const EndpointPort = z.strictObject({ name: z.string().optional(), port: Port, protocol: Protocol.default("TCP"), appProtocol: z.string().optional() });
/** A set of addresses sharing ports. */
export const EndpointSubset = z.strictObject({
  addresses: z.array(EndpointAddress).optional(),
  notReadyAddresses: z.array(EndpointAddress).optional(),
  ports: z.array(EndpointPort).optional(),
});
export type EndpointSubset = z.infer<typeof EndpointSubset>;

/** One endpoint of an EndpointSlice. */
export const SliceEndpoint = z.strictObject({
  addresses: z.array(IPv4).min(1),
  conditions: z.strictObject({ ready: z.boolean().optional(), serving: z.boolean().optional(), terminating: z.boolean().optional() }).optional(),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  targetRef: EndpointAddress.shape.targetRef,
});

/** The Service codec and schemas. */
export const service = groupKindCodec({
  resource: "services", kind: "Service", apiVersion: "v1", clusterScoped: false, fields: { spec: ServiceSpec }, metadata: ClientObjectMeta.extend({ name: ServiceName }),
  status: z.looseObject({ loadBalancer: z.looseObject({}).optional() }),
});
/** The Endpoints codec and schemas. */
export const endpoints = groupKindCodec({
  resource: "endpoints", kind: "Endpoints", apiVersion: "v1", clusterScoped: false, fields: { subsets: z.array(EndpointSubset).optional() },
});
/** The EndpointSlice codec and schemas. */
export const endpointSlice = groupKindCodec({
  resource: "endpointslices", kind: "EndpointSlice", apiVersion: "discovery.k8s.io/v1", clusterScoped: false,
  fields: { addressType: z.enum(["IPv4", "IPv6", "FQDN"]), endpoints: z.array(SliceEndpoint).optional(), ports: z.array(EndpointPort.partial({ port: true })).optional() },
});

type Svc = { spec: ServiceSpec };
/**
 * As kubectl shows it: an ExternalName's name; else the `externalIPs`, comma-separated, or when there are none a
 * LoadBalancer's `<pending>` (no load balancer is ever provisioned) and `<none>` for the others. Pure.
 */
function externalIpText(o: Svc): string {
  if (o.spec.type === "ExternalName") return o.spec.externalName ?? "<none>";
  const ips = o.spec.externalIPs ?? [];
  return ips.length > 0 ? ips.join(",") : o.spec.type === "LoadBalancer" ? "<pending>" : "<none>";
}
const portsText = (o: Svc) => (o.spec.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol}`).join(",") || "<none>";
/** The Service columns: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (+ SELECTOR). */
export const serviceColumns = [
  nameColumn(),
  column<Svc>("Type", "string", 0, "The type of the service.", (o) => o.spec.type),
  column<Svc>("Cluster-IP", "string", 0, "The cluster IP of the service.", (o) => o.spec.clusterIP || "<none>"),
  column<Svc>("External-IP", "string", 0, "The external IPs of the service.", externalIpText),
  column<Svc>("Port(s)", "string", 0, "The ports of the service.", portsText),
  ageColumn(),
  column<Svc>("Selector", "string", 1, "The selector of the service.", (o) => labelString(o.spec.selector)),
];

type Eps = { subsets?: EndpointSubset[] };
/** `127.244.0.2:8080,127.244.1.2:8080 + 2 more...`, as kubectl prints endpoints. Pure. */
export function formatEndpoints(o: Eps): string {
  const all = (o.subsets ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => ((s.ports ?? []).length ? (s.ports ?? []).map((p) => `${a.ip}:${p.port}`) : [a.ip])));
  if (all.length === 0) return "<none>";
  return all.length > 3 ? `${all.slice(0, 3).join(",")} + ${all.length - 3} more...` : all.join(",");
}
/** The Endpoints columns: NAME ENDPOINTS AGE. */
export const endpointsColumns = [
  nameColumn(),
  column<Eps>("Endpoints", "string", 0, "Endpoints of the service.", formatEndpoints),
  ageColumn(),
];
type Slice = { addressType: string; endpoints?: { addresses: string[] }[]; ports?: { port?: number }[] };
/** The EndpointSlice columns: NAME ADDRESSTYPE PORTS ENDPOINTS AGE. */
export const endpointSliceColumns = [
  nameColumn(),
  column<Slice>("AddressType", "string", 0, "The type of the addresses.", (o) => o.addressType),
  column<Slice>("Ports", "string", 0, "The ports of the slice.", (o) => (o.ports ?? []).map((p) => p.port).join(",") || "<unset>"),
  column<Slice>("Endpoints", "string", 0, "The addresses of the slice.", (o) => (o.endpoints ?? []).flatMap((e) => e.addresses).join(",") || "<unset>"),
  ageColumn(),
];
