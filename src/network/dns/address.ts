/** Where a cluster's DNS server listens: `<data-dir>/dns.addr` holds its `host:port` for node agents and tools. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cidrContains, parseCidr } from "../cidr.js";

/** The file in the data folder that records the DNS server's `host:port`. */
export const DNS_ADDR_FILE = "dns.addr";

/** The default address: a loopback address of its own, on a free port. */
export const DEFAULT_DNS_ADDRESS = "127.53.0.10:0";

const LOOPBACK = parseCidr("127.0.0.0/8");

/** `127.53.0.10:0` → host and port; an Error naming `--dns-address` when the host is not in 127.0.0.0/8. Pure. */
export function dnsAddress(text: string): { host: string; port: number } {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m?.[1] || !cidrContains(LOOPBACK, m[1]) || port > 65535) throw new Error(`--dns-address: "${text}" must be host:port with a host in 127.0.0.0/8 (port 0: a free one)`);
  return { host: m[1], port };
}

/** A file's text, trimmed, or undefined when it does not exist. Does file I/O. */
export function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8").trim() : undefined;
}

/** The `host:port` the cluster's DNS server recorded in `dataDir`, or undefined. Does file I/O. */
export function recordedDnsAddress(dataDir: string): string | undefined {
  return readText(join(dataDir, DNS_ADDR_FILE)) || undefined;
}
