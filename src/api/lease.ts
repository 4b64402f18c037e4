/** coordination.k8s.io/v1 Lease: who holds a lock and until when, as client-go's leader election writes it. */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";

const MicroTime = z.iso.datetime({ offset: true, error: "must be an RFC 3339 time such as 2026-12-02T10:00:00.000000Z" });

/** The Lease's spec (every field optional, as in Kubernetes). */
export const LeaseSpec = z.strictObject({
  holderIdentity: z.string().max(253).nullable().optional(),
  leaseDurationSeconds: z.number().int().positive("must be greater than 0").nullable().optional(),
  acquireTime: MicroTime.nullable().optional(),
  renewTime: MicroTime.nullable().optional(),
  leaseTransitions: z.number().int().nonnegative("must be greater than or equal to 0").nullable().optional(),
  preferredHolder: z.string().nullable().optional(),
  strategy: z.string().nullable().optional(),
});
export type LeaseSpec = z.infer<typeof LeaseSpec>;

/** The Lease codec and schemas. */
export const lease = groupKindCodec({
  resource: "leases", kind: "Lease", apiVersion: "coordination.k8s.io/v1", clusterScoped: false, fields: { spec: LeaseSpec.optional() },
});
export const leaseCodec = lease.codec;

/** The Lease columns: NAME HOLDER AGE. */
export const leaseColumns = [
  nameColumn(),
  column<{ spec?: LeaseSpec }>("Holder", "string", 0, "The holder of the lease.", (o) => o.spec?.holderIdentity ?? ""),
  ageColumn(),
];
