/**
 * The cluster DNS fed from the read model: the table is rebuilt from the view's services, endpoints and pods after
 * every change that touches them (coalesced over 10 ms), so a new service answers as soon as the view has applied it.
 */
import type { Pod } from "../../api/pod.js";
import type { EndpointSubset, ServiceSpec } from "../../api/service.js";
import type { ClusterView } from "../../projections/clusterView.js";
import { ClusterDns, type DnsService } from "./records.js";
import { startDnsServer, type DnsServer } from "./server.js";

type Svc = { spec: ServiceSpec };
type Eps = { subsets?: EndpointSubset[] };

/** The services as DNS sees them: the clusterIP (null: headless) and the ready addresses of its Endpoints. Pure over the view. */
export function dnsServicesOf(view: ClusterView): DnsService[] {
  return view.list<Svc>("services").map((e) => {
    const subsets = view.get<Eps>("endpoints", e.namespace, e.name)?.object.subsets ?? [];
    const ip = e.object.spec.clusterIP;
    return {
      namespace: e.namespace, name: e.name, clusterIP: ip && ip !== "None" ? ip : null,
      ports: (e.object.spec.ports ?? []).flatMap((p) => (p.protocol === "SCTP" ? [] : [{ name: p.name, port: p.port, protocol: p.protocol }])),
      endpoints: subsets.flatMap((s) => (s.addresses ?? []).map((a) => ({ ip: a.ip, hostname: a.hostname }))),
    };
  });
}

/** The pod IPs per namespace of the pods that have one and have not ended. Pure over the view. */
export function dnsPodsOf(view: ClusterView): { namespace: string; ip: string }[] {
  return view.list<Pod>("pods").flatMap((e) => {
    const { podIP, phase } = e.object.status;
    return podIP && phase !== "Succeeded" && phase !== "Failed" ? [{ namespace: e.namespace, ip: podIP }] : [];
  });
}

/**
 * Starts the DNS server on host:port (0: a free one) answering from `view`, following its changes: a pod's change
 * rebuilds only the pod addresses, a service's or its Endpoints' only the services. Does network I/O.
 */
export async function startClusterDns(view: ClusterView, host: string, port = 0): Promise<DnsServer> {
  const table = new ClusterDns();
  const refresh = { services: () => table.setServices(dnsServicesOf(view)), pods: () => table.setPods(dnsPodsOf(view)) };
  refresh.services();
  refresh.pods();
  const queued = new Set<keyof typeof refresh>();
  const unsubscribe = view.onChange((change) => {
    const part = change.resource === "pods" ? "pods" : change.resource === "services" || change.resource === "endpoints" ? "services" : undefined;
    if (!part || queued.has(part)) return;
    queued.add(part);
    setTimeout(() => { queued.delete(part); refresh[part](); }, 10);
  });
  const server = await startDnsServer(table, host, port).catch((err: unknown) => { unsubscribe(); throw err; });
  return { ...server, close: async () => { unsubscribe(); await server.close(); } };
}
