/**
 * The Leases of `kube-node-lease`: one per node, named after it, as the kubelet keeps them in Kubernetes
 * (`kubectl describe node` prints its holder and renewTime; `kubectl get leases -n kube-node-lease` lists them).
 * They are read from the node heartbeat bucket (PROTOCOL.md §4) when a client asks, and never stored in the event
 * stream, where a heartbeat every few seconds per node would be an event each. They are the node agents': no
 * command writes them, and a Lease of that name created in `kube-node-lease` through the API is shown instead.
 */
import { createHash } from "node:crypto";
import { parseNodeLease, type NodeLease } from "../api/nodeLease.js";
import type { KvBucket, KvRecord } from "../events/kvBucket.js";
import { isStreamNotFound } from "../events/streamErrors.js";

/** The namespace of the nodes' Leases. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

/** Where the gateway finds a node's Lease (by node name) and all of them; each needs the Node object. */
export interface NodeLeaseSource {
  get(node: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  list(nodes: readonly Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
}

type NodeMeta = { name: string; uid: string; creationTimestamp?: string };

/** A uid of the Lease's own, the same at every read: derived from its node's. Pure. */
function leaseUid(nodeUid: string): string {
  const h = createHash("sha1").update(`${nodeUid}/kube-node-lease`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** An ISO time as Kubernetes' MicroTime (six decimals). Pure. */
function microTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.toISOString().slice(0, 19)}.${String(t.getUTCMilliseconds()).padStart(3, "0")}000Z`;
}

/**
 * The Lease a node's heartbeat record stands for, as a kubelet's looks: held by the node, renewed at the record's
 * time, for its duration (rounded up to whole seconds), owned by the Node. Pure.
 */
export function nodeLeaseObject(node: Record<string, unknown>, lease: NodeLease, resourceVersion: string): Record<string, unknown> {
  const meta = node.metadata as NodeMeta;
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: meta.name, namespace: NODE_LEASE_NAMESPACE, uid: leaseUid(meta.uid), resourceVersion,
      ...(meta.creationTimestamp ? { creationTimestamp: meta.creationTimestamp } : {}),
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name: meta.name, uid: meta.uid }],
    },
    spec: {
      holderIdentity: meta.name,
      ...(lease.leaseDurationMs ? { leaseDurationSeconds: Math.ceil(lease.leaseDurationMs / 1000) } : {}),
      renewTime: microTime(lease.renewTime),
    },
  };
}

/** A heartbeat record's lease, or null for a delete marker or a record that is not one. Pure. */
function leaseOf(record: KvRecord | null): NodeLease | null {
  return record && record.operation === "PUT" ? parseNodeLease(record.string()) : null;
}

/**
 * The Leases from the bucket `open` reaches (opened at the first read), at the read model's `resourceVersion()`:
 * each node's record read by its key (a list reads one per node, all at once; a watch over the whole bucket could
 * wait for ever while thousands of nodes keep renewing).
 */
export function nodeLeaseSource(open: () => Promise<KvBucket>, resourceVersion: () => string): NodeLeaseSource {
  let bucket: Promise<KvBucket> | null = null;
  const kv = () => {
    bucket ??= open().catch((err: unknown) => { bucket = null; throw err; });
    return bucket;
  };
  const leaseFor = async (node: Record<string, unknown>, rv: string) => {
    try {
      const lease = leaseOf(await (await kv()).get((node.metadata as NodeMeta).name));
      return lease ? nodeLeaseObject(node, lease, rv) : null;
    } catch (err) {
      // The bucket was never made (no node agent has run): no heartbeats, not an error.
      if (isStreamNotFound(err)) return null;
      throw err;
    }
  };
  return {
    get: (node) => leaseFor(node, resourceVersion()),
    async list(nodes) {
      const rv = resourceVersion();
      return (await Promise.all(nodes.map((node) => leaseFor(node, rv)))).filter((l): l is Record<string, unknown> => l !== null);
    },
  };
}
