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

const WATCHED = new Set(["services", "endpoints", "pods"]);

/** Starts the DNS server on host:port (0: a free one) answering from `view`, following its changes. Does network I/O. */
export async function startClusterDns(view: ClusterView, host: string, port = 0): Promise<DnsServer> {
  const table = new ClusterDns();
  const refresh = () => { table.setServices(dnsServicesOf(view)); table.setPods(dnsPodsOf(view)); };
  refresh();
  let queued = false;
  const unsubscribe = view.onChange((change) => {
    if (!WATCHED.has(change.resource) || queued) return;
    queued = true;
    setTimeout(() => { queued = false; refresh(); }, 10);
  });
  const server = await startDnsServer(table, host, port).catch((err: unknown) => { unsubscribe(); throw err; });
  return { ...server, close: async () => { unsubscribe(); await server.close(); } };
}
