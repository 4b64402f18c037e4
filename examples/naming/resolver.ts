/**
 * A pod's view of cluster DNS, as a program in a Coxswain pod must take it: the server is `$COX_DNS` (host:port, not
 * port 53, so the libc resolver cannot use it) and the search list and ndots come from the resolv.conf-style file at
 * `$COX_RESOLV_CONF`. `candidates` is the resolver's pure rule; `ClusterResolver` does the queries.
 */
import { readFileSync } from "node:fs";
import { promises as dns } from "node:dns";

/** What a resolv.conf says about names: its search domains and ndots (default 1, as glibc). */
export interface SearchConfig {
  search: string[];
  ndots: number;
}

/** The `search` and `options ndots:` lines of a resolv.conf. Pure. */
export function parseResolvConf(text: string): SearchConfig {
  const search = /^search\s+(.+)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const ndots = Number(/^options\s+.*\bndots:(\d+)/m.exec(text)?.[1] ?? 1);
  return { search, ndots };
}

/**
 * The fully qualified names to try for `name`, in order, as glibc does: a name ending in a dot as it is; a name with
 * fewer than ndots dots through each search domain first, then as it is; any other name as it is first. Pure.
 */
export function candidates(name: string, config: SearchConfig): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const searched = config.search.map((domain) => `${name}.${domain}`);
  const dots = name.split(".").length - 1;
  return dots < config.ndots ? [...searched, name] : [name, ...searched];
}

/** Resolves names through the pod's cluster DNS and search list. */
export class ClusterResolver {
  private readonly resolver = new dns.Resolver({ timeout: 1_000, tries: 2 });
  private readonly config: SearchConfig;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    if (!env.COX_DNS || !env.COX_RESOLV_CONF) throw new Error("no cluster DNS: COX_DNS and COX_RESOLV_CONF are not set");
    this.resolver.setServers([env.COX_DNS]);
    this.config = parseResolvConf(readFileSync(env.COX_RESOLV_CONF, "utf8"));
  }

  /** The A records of the first candidate of `name` that has any, with that candidate; null when none has. */
  async resolve4(name: string): Promise<{ fqdn: string; ips: string[] } | null> {
    for (const fqdn of candidates(name, this.config)) {
      const ips = await this.resolver.resolve4(fqdn).catch(() => null);
      if (ips && ips.length > 0) return { fqdn, ips: [...ips].sort() };
    }
    return null;
  }
}
