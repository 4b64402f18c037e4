/** ObjectMeta: the metadata every object carries, in its internal (and v1) shape. */
import { z } from "zod";
import { DnsLabel } from "./names.js";

/** Label and annotation maps. */
export const StringMap = z.record(z.string(), z.string());

/** Metadata a client may send in a manifest: name, namespace, labels, annotations. System fields are refused. */
export const ClientObjectMeta = z.strictObject({
  name: DnsLabel,
  namespace: DnsLabel.optional(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
});
export type ClientObjectMeta = z.infer<typeof ClientObjectMeta>;

/** Metadata as the system keeps it: uid, resourceVersion, generation and creationTimestamp are set by the system. */
export const ObjectMeta = z.strictObject({
  name: DnsLabel,
  namespace: DnsLabel.optional(),
  uid: z.string(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().nonnegative().optional(),
  creationTimestamp: z.string(),
  deletionTimestamp: z.string().optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;
