/**
 * The ResourceLock of elector.ts on a real coordination.k8s.io/v1 Lease, through @kubernetes/client-node: every
 * update carries the resourceVersion of the lease last read or written, so a stale writer gets 409 Conflict.
 */
import { CoordinationV1Api, type KubeConfig, type V1Lease } from "@kubernetes/client-node";
import type { LeaderElectionRecord, ResourceLock } from "./elector.js";

function toSpec(r: LeaderElectionRecord): V1Lease["spec"] {
  return {
    holderIdentity: r.holderIdentity ?? "",
    leaseDurationSeconds: r.leaseDurationSeconds ?? 0,
    ...(r.acquireTime ? { acquireTime: new Date(r.acquireTime) } : {}),
    ...(r.renewTime ? { renewTime: new Date(r.renewTime) } : {}),
    leaseTransitions: r.leaseTransitions ?? 0,
  } as V1Lease["spec"];
}

function fromSpec(spec: V1Lease["spec"]): LeaderElectionRecord {
  const time = (d: unknown) => (d instanceof Date ? d.toISOString() : typeof d === "string" ? d : undefined);
  const out: LeaderElectionRecord = { holderIdentity: spec?.holderIdentity ?? "", leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0, leaseTransitions: spec?.leaseTransitions ?? 0 };
  const acquire = time(spec?.acquireTime);
  const renew = time(spec?.renewTime);
  if (acquire) out.acquireTime = acquire;
  if (renew) out.renewTime = renew;
  return out;
}

const statusOf = (err: unknown): number | undefined => (err as { code?: number }).code;

/** A lock on the Lease `namespace/name`. */
export class LeaseLock implements ResourceLock {
  private lease: V1Lease | undefined;
  private readonly api: CoordinationV1Api;

  constructor(kc: KubeConfig, private readonly namespace: string, private readonly name: string) {
    this.api = kc.makeApiClient(CoordinationV1Api);
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  async get(): Promise<LeaderElectionRecord | null> {
    try {
      this.lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace });
      return fromSpec(this.lease.spec);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.api.createNamespacedLease({
      namespace: this.namespace,
      body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: this.name, namespace: this.namespace }, spec: toSpec(record) },
    });
  }

  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error("lease not initialized, call get or create first");
    this.lease = await this.api.replaceNamespacedLease({
      name: this.name, namespace: this.namespace, body: { ...this.lease, spec: toSpec(record) },
    });
  }
}
