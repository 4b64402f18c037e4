/**
 * networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy: stored, validated as the apiserver validates them and
 * served to every client, and acted on by nothing here, as in a cluster without an ingress controller or a network
 * plugin that enforces policies (the service proxy and the cluster DNS serve Services). So the manifests of an
 * application that carry them apply unchanged, and a controller a user runs in a pod can read and watch them.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { formatLabelSelector, LabelSelector } from "./labelSelector.js";
import { DnsLabel, ObjectName } from "./names.js";

const Port = z.number().int("must be an integer").min(1, "must be between 1 and 65535, inclusive").max(65535, "must be between 1 and 65535, inclusive");

/** Where an Ingress sends a request: a Service's port (by name or number), or another object. */
const IngressBackend = z.strictObject({
  service: z.strictObject({
    name: DnsLabel,
    port: z.strictObject({ name: DnsLabel.max(15, "must be no more than 15 characters").optional(), number: Port.optional() })
      .refine((p) => (p.name === undefined) !== (p.number === undefined), "must specify exactly one of `name` or `number`"),
  }).optional(),
  resource: z.strictObject({ apiGroup: z.string().optional(), kind: z.string().min(1), name: z.string().min(1) }).optional(),
}).refine((b) => (b.service === undefined) !== (b.resource === undefined), "must specify exactly one of `service` or `resource`");

/** A host as an Ingress rule names it: a DNS subdomain, or one with a single leading `*` label. */
const Host = z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
  error: (issue) => `Invalid value: ${JSON.stringify(issue.input)}: a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
});

const HttpPath = z.strictObject({
  path: z.string().optional(),
  pathType: z.enum(["Exact", "Prefix", "ImplementationSpecific"]).optional(),
  backend: IngressBackend,
}).superRefine((p, ctx) => {
  if (p.pathType === undefined) ctx.addIssue({ code: "custom", path: ["pathType"], message: "Required value: pathType must be specified" });
  else if (p.pathType !== "ImplementationSpecific" && !(p.path ?? "").startsWith("/")) {
    ctx.addIssue({ code: "custom", path: ["path"], message: `Invalid value: ${JSON.stringify(p.path ?? "")}: must be an absolute path` });
  }
});

/** Ingress spec: rules of hosts and paths to backends, a default backend, TLS, a class. */
export const IngressSpec = z.strictObject({
  ingressClassName: ObjectName.optional(),
  defaultBackend: IngressBackend.optional(),
  tls: z.array(z.strictObject({ hosts: z.array(Host).optional(), secretName: ObjectName.optional() })).optional(),
  rules: z.array(z.strictObject({ host: Host.optional(), http: z.strictObject({ paths: z.array(HttpPath).min(1, "Required value") }).optional() })).optional(),
}).refine((s) => s.defaultBackend !== undefined || (s.rules?.length ?? 0) > 0, "either `defaultBackend` or `rules` must be specified");
export type IngressSpec = z.infer<typeof IngressSpec>;

const LoadBalancer = z.strictObject({ ingress: z.array(z.strictObject({ ip: z.string().optional(), hostname: z.string().optional() }).loose()).optional() });

/** The Ingress codec and schemas. */
export const ingress = groupKindCodec({
  resource: "ingresses", kind: "Ingress", apiVersion: "networking.k8s.io/v1", clusterScoped: false, fields: { spec: IngressSpec },
  status: z.strictObject({ loadBalancer: LoadBalancer.optional() }),
});

type IngressLike = { spec: IngressSpec; status?: { loadBalancer?: z.infer<typeof LoadBalancer> | undefined } | undefined };

/** The Ingress columns: NAME CLASS HOSTS ADDRESS PORTS AGE, as kubectl prints them. */
export const ingressColumns = [
  nameColumn(),
  column<IngressLike>("Class", "string", 0, "The name of the IngressClass resource that should be used for the Ingress.", (o) => o.spec.ingressClassName ?? "<none>"),
  column<IngressLike>("Hosts", "string", 0, "The list of host names.", (o) => {
    const hosts = (o.spec.rules ?? []).map((r) => r.host ?? "*");
    return hosts.length > 0 ? hosts.join(",") : "*";
  }),
  column<IngressLike>("Address", "string", 0, "The address of the load balancer.", (o) =>
    (o.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? "").filter(Boolean).join(",")),
  column<IngressLike>("Ports", "string", 0, "The ports the Ingress listens on.", (o) => ((o.spec.tls?.length ?? 0) > 0 ? "80, 443" : "80")),
  ageColumn(),
];

/** The IngressClass codec and schemas: the controller a class names, and its parameters. */
export const ingressClass = groupKindCodec({
  resource: "ingressclasses", kind: "IngressClass", apiVersion: "networking.k8s.io/v1", clusterScoped: true,
  fields: {
    spec: z.strictObject({
      controller: z.string().max(250, "must be no more than 250 characters").regex(/^[a-z0-9.-]+\/[-a-zA-Z0-9_./]+$/, "must be a domain-prefixed path (such as \"acme.io/foo\")").optional(),
      parameters: z.strictObject({ apiGroup: z.string().optional(), kind: z.string().min(1), name: z.string().min(1), scope: z.enum(["Cluster", "Namespace"]).optional(), namespace: z.string().optional() }).optional(),
    }).default({}),
  },
});

type IngressClassLike = { spec: { controller?: string | undefined; parameters?: { apiGroup?: string | undefined; kind: string; name: string } | undefined } };

/** The IngressClass columns: NAME CONTROLLER PARAMETERS AGE. */
export const ingressClassColumns = [
  nameColumn(),
  column<IngressClassLike>("Controller", "string", 0, "Controller that is responsible for handling this class", (o) => o.spec.controller ?? ""),
  column<IngressClassLike>("Parameters", "string", 0, "A reference to a resource with additional parameters", (o) => {
    const p = o.spec.parameters;
    return p ? `${p.kind}.${p.apiGroup ?? ""}/${p.name}` : "<none>";
  }),
  ageColumn(),
];

const PolicyPort = z.strictObject({
  protocol: z.enum(["TCP", "UDP", "SCTP"]).optional(),
  port: z.union([Port, DnsLabel.max(15, "must be no more than 15 characters")]).optional(),
  endPort: Port.optional(),
});
const Peer = z.strictObject({
  podSelector: LabelSelector.optional(),
  namespaceSelector: LabelSelector.optional(),
  ipBlock: z.strictObject({ cidr: z.string().min(1), except: z.array(z.string()).optional() }).optional(),
}).refine((p) => p.ipBlock === undefined || (p.podSelector === undefined && p.namespaceSelector === undefined), "may not specify more than 1 peer type");

/** NetworkPolicy spec: the pods it selects, and the traffic allowed to and from them. */
export const NetworkPolicySpec = z.strictObject({
  podSelector: LabelSelector,
  ingress: z.array(z.strictObject({ ports: z.array(PolicyPort).optional(), from: z.array(Peer).optional() })).optional(),
  egress: z.array(z.strictObject({ ports: z.array(PolicyPort).optional(), to: z.array(Peer).optional() })).optional(),
  policyTypes: z.array(z.enum(["Ingress", "Egress"])).max(2).optional(),
});
export type NetworkPolicySpec = z.infer<typeof NetworkPolicySpec>;

/** The NetworkPolicy codec and schemas. */
export const networkPolicy = groupKindCodec({
  resource: "networkpolicies", kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1", clusterScoped: false, fields: { spec: NetworkPolicySpec },
});

/** The NetworkPolicy columns: NAME POD-SELECTOR AGE. */
export const networkPolicyColumns = [
  nameColumn(),
  column<{ spec: NetworkPolicySpec }>("Pod-Selector", "string", 0, "Pod-Selector of NetworkPolicy", (o) => {
    const shown = formatLabelSelector(o.spec.podSelector);
    return shown === "" || shown === "<none>" ? "<none>" : shown;
  }),
  ageColumn(),
];
