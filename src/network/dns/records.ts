/**
 * The cluster's DNS names and what they answer, as Kubernetes' cluster DNS specifies them:
 *   `<svc>.<ns>.svc.<domain>`                  A: the clusterIP, or every ready pod IP of a headless service
 *   `_<port>._<proto>.<svc>.<ns>.svc.<domain>` SRV: each named port (headless: one record per ready pod)
 *   `<hostname>.<svc>.<ns>.svc.<domain>`       A: a ready pod of a headless service that set hostname + subdomain
 *   `<a-b-c-d>.<ns>.pod.<domain>`              A: a pod's own IP
 * Anything else under the domain is NXDOMAIN. Pure: the server keeps a `ClusterDns` table up to date and asks it.
 */

/** A named port of a service. */
export interface DnsPort {
  name?: string | undefined;
  port: number;
  protocol: "TCP" | "UDP";
}

/** A ready endpoint of a service: its IP, and the pod's hostname when the pod set hostname and subdomain = service. */
export interface DnsEndpoint {
  ip: string;
  hostname?: string | undefined;
}

/** A service as DNS sees it. `clusterIP` null: headless. */
export interface DnsService {
  namespace: string;
  name: string;
  clusterIP: string | null;
  ports: readonly DnsPort[];
  endpoints: readonly DnsEndpoint[];
}

/** One answer record. */
export type DnsAnswer =
  | { type: "A"; name: string; ttl: number; data: string }
  | { type: "SRV"; name: string; ttl: number; data: { priority: number; weight: number; port: number; target: string } };

/** The answer to one question. */
export interface DnsResult {
  rcode: "NOERROR" | "NXDOMAIN";
  answers: DnsAnswer[];
}

const TTL = 5;

/** The table of names, rebuilt from services and pods. */
export class ClusterDns {
  private services = new Map<string, DnsService>();
  private podIps = new Map<string, Set<string>>();

  constructor(readonly domain = "cluster.local") {}

  /** Replaces the services (with their ready endpoints). */
  setServices(services: readonly DnsService[]): void {
    this.services = new Map(services.map((s) => [`${s.name}.${s.namespace}`, s]));
  }

  /** Replaces the pod IPs per namespace. */
  setPods(pods: readonly { namespace: string; ip: string }[]): void {
    const m = new Map<string, Set<string>>();
    for (const p of pods) {
      let set = m.get(p.namespace);
      if (!set) m.set(p.namespace, (set = new Set()));
      set.add(p.ip);
    }
    this.podIps = m;
  }

  /** True when `name` is under the cluster domain (other names are not this server's to answer). */
  owns(name: string): boolean {
    const n = name.toLowerCase().replace(/\.$/, "");
    return n === this.domain || n.endsWith(`.${this.domain}`);
  }

  /** The answer to a question of `type` (A, SRV, ANY) about `name`. Pure over the table. */
  resolve(name: string, type: string): DnsResult {
    const n = name.toLowerCase().replace(/\.$/, "");
    if (!this.owns(n)) return { rcode: "NXDOMAIN", answers: [] };
    const labels = n.slice(0, -(this.domain.length + 1)).split(".");
    const found = this.lookup(labels, n);
    if (found === null) return { rcode: "NXDOMAIN", answers: [] };
    return { rcode: "NOERROR", answers: found.filter((a) => type === "ANY" || a.type === type) };
  }

  private lookup(labels: string[], fqdn: string): DnsAnswer[] | null {
    const a = (ip: string): DnsAnswer => ({ type: "A", name: fqdn, ttl: TTL, data: ip });
    if (labels.length === 3 && labels[2] === "pod") {
      const ip = (labels[0] ?? "").replace(/-/g, ".");
      return this.podIps.get(labels[1] ?? "")?.has(ip) ? [a(ip)] : null;
    }
    if (labels.at(-1) !== "svc") return null;
    if (labels.length === 3) {
      const svc = this.services.get(`${labels[0]}.${labels[1]}`);
      if (!svc) return null;
      return svc.clusterIP ? [a(svc.clusterIP)] : svc.endpoints.map((e) => a(e.ip));
    }
    if (labels.length === 4) {
      const svc = this.services.get(`${labels[1]}.${labels[2]}`);
      if (!svc || svc.clusterIP) return null;
      const ep = svc.endpoints.find((e) => e.hostname === labels[0] || (!e.hostname && e.ip.replace(/\./g, "-") === labels[0]));
      return ep ? [a(ep.ip)] : null;
    }
    if (labels.length === 5 && labels[0]?.startsWith("_") && labels[1]?.startsWith("_")) return this.srv(labels, fqdn);
    return null;
  }

  private srv(labels: string[], fqdn: string): DnsAnswer[] | null {
    const svc = this.services.get(`${labels[2]}.${labels[3]}`);
    const port = svc?.ports.find((p) => p.name === labels[0]?.slice(1) && p.protocol.toLowerCase() === labels[1]?.slice(1));
    if (!svc || !port) return null;
    const base = `${svc.name}.${svc.namespace}.svc.${this.domain}`;
    const record = (target: string): DnsAnswer => ({ type: "SRV", name: fqdn, ttl: TTL, data: { priority: 0, weight: 100, port: port.port, target } });
    if (svc.clusterIP) return [record(base)];
    return svc.endpoints.map((e) => record(e.hostname ? `${e.hostname}.${base}` : `${e.ip.replace(/\./g, "-")}.${base}`));
  }
}

/** The resolver file a pod gets: its namespace's search path first, so `web` and `web.default` resolve. Pure. */
export function resolvConf(nameserver: string, namespace: string, domain = "cluster.local"): string {
  const [host, port] = nameserver.split(":");
  return [`nameserver ${host}`, ...(port ? [`# port ${port}`] : []), `search ${namespace}.svc.${domain} svc.${domain} ${domain}`, "options ndots:5", ""].join("\n");
}

/** The names to try for `name` from a pod of `namespace`, as a resolver with resolvConf's search list does. Pure. */
export function searchCandidates(name: string, namespace: string, domain = "cluster.local"): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const dots = name.split(".").length - 1;
  const searched = [`${namespace}.svc.${domain}`, `svc.${domain}`, domain].map((d) => `${name}.${d}`);
  return dots >= 5 ? [name, ...searched] : [...searched, name];
}
