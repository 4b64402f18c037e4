/**
 * The node heartbeat (PROTOCOL.md §4): node agents write one record per node into the KV bucket
 * `NODE_LEASE_BUCKET` of src/events/names.ts (key = node name); the node lifecycle controller watches it. Never the event stream.
 */
import { z } from "zod";

/** One node's heartbeat, as written by its agent and read by the node lifecycle controller. */
export const NodeLease = z.object({
  nodeName: z.string(),
  /** Wall-clock ISO time with milliseconds, of the writer's clock (readers compare only whether it changed). */
  renewTime: z.string(),
  /** How long the lease counts without renewal; absent in records of older agents. */
  leaseDurationMs: z.number().int().positive().optional(),
});
export type NodeLease = z.infer<typeof NodeLease>;

/** A heartbeat record's text as a lease, or null when it is not one (not JSON, or not of this shape). Pure. */
export function parseNodeLease(text: string): NodeLease | null {
  try {
    const r = NodeLease.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
