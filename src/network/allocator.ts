/**
 * Address allocation, as Kubernetes' node IPAM and service IP allocator do it: a block of addresses, some of them
 * taken, the lowest free one handed out next (never the block's network or last address). The allocator holds
 * nothing durable: it is rebuilt from what the objects already carry (the nodes' podCIDRs, the pods' IPs, the
 * services' clusterIPs), so a restarted controller can never hand out an address twice. Pure.
 */
import { cidrContains, cidrSize, formatCidr, ipToNumber, numberToIp, subnet, type Cidr } from "./cidr.js";

/** Hands out single addresses of one block. */
export class AddressAllocator {
  private readonly taken = new Set<number>();

  /** `used`: the addresses already assigned (those outside the block are ignored). */
  constructor(readonly block: Cidr, used: Iterable<string> = []) {
    for (const ip of used) if (cidrContains(block, ip)) this.taken.add(ipToNumber(ip));
  }

  /** The lowest free address (skipping the block's first and last), or undefined when the block is full. */
  allocate(): string | undefined {
    const size = cidrSize(this.block);
    for (let i = 1; i < size - 1; i++) {
      const n = this.block.base + i;
      if (!this.taken.has(n)) {
        this.taken.add(n);
        return numberToIp(n);
      }
    }
    return undefined;
  }

  /** Takes a specific address; false when it is outside the block, reserved or taken. */
  claim(ip: string): boolean {
    if (!cidrContains(this.block, ip)) return false;
    const n = ipToNumber(ip);
    const offset = n - this.block.base;
    if (offset === 0 || offset === cidrSize(this.block) - 1 || this.taken.has(n)) return false;
    this.taken.add(n);
    return true;
  }

  /** Gives an address back. */
  release(ip: string): void {
    if (cidrContains(this.block, ip)) this.taken.delete(ipToNumber(ip));
  }
}

/** Hands out sub-blocks (a node's pod CIDR) of a cluster range. */
export class BlockAllocator {
  private readonly taken = new Set<string>();

  constructor(private readonly range: Cidr, private readonly prefix: number, used: Iterable<string> = []) {
    for (const c of used) this.taken.add(c);
  }

  /** The lowest free sub-block, or undefined when the range is exhausted. */
  allocate(): string | undefined {
    for (let i = 0; ; i++) {
      const block = subnet(this.range, this.prefix, i);
      if (!block) return undefined;
      const text = formatCidr(block);
      if (!this.taken.has(text)) {
        this.taken.add(text);
        return text;
      }
    }
  }

  /** Gives a sub-block back. */
  release(cidr: string): void {
    this.taken.delete(cidr);
  }
}
