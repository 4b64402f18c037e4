/** Reading every lease for `coxctl leader`: who holds what, with which term, renewed how long ago. */
import type { KvBucket } from "../events/kvBucket.js";
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
export async function listLeases(kv: KvBucket, now: Date = new Date()): Promise<LeaseStatus[]> {
  const out: LeaseStatus[] = [];
  for (const component of (await kv.keys()).sort()) {
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
