/**
 * IPv4 CIDR arithmetic for the cluster's loopback network (127.0.0.0/8: every address reaches this host, so each
 * pod and service can have its own address with no root and no network namespaces). Pure.
 */

/** An IPv4 block: its first address as a 32-bit number and its prefix length. */
export interface Cidr {
  base: number;
  prefix: number;
}

/** `127.244.1.5` → number; throws on anything that is not a dotted quad. Pure. */
export function ipToNumber(ip: string): number {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`"${ip}" is not an IPv4 address`);
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** number → `127.244.1.5`. Pure. */
export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** `127.244.0.0/16` → Cidr (the base masked to the prefix); throws on a malformed block. Pure. */
export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split("/");
  const prefix = Number(bits);
  if (ip === undefined || bits === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`"${text}" is not a CIDR block such as 127.244.0.0/16`);
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(ipToNumber(ip) / size) * size, prefix };
}

/** `127.244.1.0/24`. Pure. */
export function formatCidr(c: Cidr): string {
  return `${numberToIp(c.base)}/${c.prefix}`;
}

/** How many addresses the block holds. Pure. */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** True when `ip` lies in `c`. Pure. */
export function cidrContains(c: Cidr, ip: string): boolean {
  let n: number;
  try { n = ipToNumber(ip); } catch { return false; }
  return n >= c.base && n < c.base + cidrSize(c);
}

/** The `index`-th sub-block of length `prefix` inside `c`, or undefined past its end. Pure. */
export function subnet(c: Cidr, prefix: number, index: number): Cidr | undefined {
  if (prefix < c.prefix) return undefined;
  const size = 2 ** (32 - prefix);
  const count = 2 ** (prefix - c.prefix);
  return index >= 0 && index < count ? { base: c.base + index * size, prefix } : undefined;
}
