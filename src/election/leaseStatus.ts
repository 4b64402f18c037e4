/** Reading every lease for `coxctl leader`: who holds what, with which term, renewed how long ago. */
import type { KV } from "@nats-io/kv";
import { readLease } from "./leaseStore.js";

/** One held lease as `coxctl leader` shows it. */
export interface LeaseStatus {
  component: string;
  holder: string;
  term: number;
  /** Milliseconds since the server stored the last renewal, by this host's clock: for display, never for decisions. */
  renewAgeMs: number;
}

/** Lists the held leases, sorted by component; released leases (delete markers) are left out. Does I/O. */
export async function listLeases(kv: KV, now: Date = new Date()): Promise<LeaseStatus[]> {
  const keys: string[] = [];
  for await (const k of await kv.keys()) keys.push(k);
  const out: LeaseStatus[] = [];
  for (const component of keys.sort()) {
    const e = await readLease(kv, component);
    if (!e?.record) continue;
    out.push({
      component,
      holder: e.record.holderIdentity,
      term: e.record.leaseTransitions,
      renewAgeMs: Math.max(0, now.getTime() - e.created.getTime()),
    });
  }
  return out;
}
