/** `coxctl leader`: who holds each component's lease, with which term, renewed how long ago. */
import { DEFAULT_LEASE_BUCKET, listLeases } from "../../election/index.js";
import { KvBucket } from "../../events/kvBucket.js";
import { isStreamNotFound } from "../../events/streamErrors.js";
import { withClient, type CoxctlFlags } from "./context.js";
import { formatAge, formatTable } from "./table.js";

/** Runs `leader`. */
export async function leader(flags: CoxctlFlags): Promise<void> {
  await withClient(flags, async (client) => {
    let leases;
    try {
      // Connecting does not look the bucket up; its absence shows when the keys are listed.
      leases = await listLeases(await KvBucket.existing(client.nc, DEFAULT_LEASE_BUCKET));
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      process.stdout.write("no leader: no component has ever held a lease\n");
      return;
    }
    if (leases.length === 0) {
      process.stdout.write("no leader: no lease is held\n");
      return;
    }
    const rows = leases.map((l) => [l.component, l.holder, String(l.term), `${formatAge(l.renewAgeMs)} ago`]);
    process.stdout.write(formatTable({ headers: ["COMPONENT", "HOLDER", "TERM", "RENEWED"], rows }));
  });
}
