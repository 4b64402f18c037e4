/**
 * Admission in the actor host, around the decision of every command:
 * - namespace lifecycle: an object is created only in a namespace that exists and is not Terminating (updates and
 *   deletes stay allowed), as Kubernetes' NamespaceLifecycle admission says it;
 * - resource quota: a pod is reserved against every quota of its namespace (ReserveQuota, through the quota
 *   entity's own mailbox and its guarded append, so two hosts never both take the last slot) before it is created,
 *   and released when its create is refused, when it ends (Succeeded/Failed) or when it is deleted.
 * A host that dies between a reservation and the pod's create (or between a pod's end and its release) leaves a
 * reservation behind, and a quota created while pods already run does not count them: the quota controller
 * (src/controllers/resourceQuota/) repairs both from the read model with ResyncQuota.
 */
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import type { Pod, PodManifest } from "../api/pod.js";
import { podQuotaRequests, type PodQuotaRequests } from "../api/resourceQuota.js";
import { StatusError, toStatusError } from "../api/status.js";
import type { CommandReply } from "../api/reply.js";
import type { Logger } from "../log.js";
import type { Command } from "./decider.js";
import type { AdmittedCommand } from "./door.js";
import type { Entity } from "./entity.js";
import type { NamespaceIndex } from "./namespaceIndex.js";
import type { KindAdmissionContext } from "./kindAdmission.js";

/** Runs a command the host sends itself (sender `host`) on an entity, through that entity's mailbox; throws its refusal. */
export type RunInternal = (ref: EntityRef, type: string, data: unknown, id: string) => Promise<unknown>;

/** True for the command that creates an object of a namespaced kind (the kinds registry names it). Pure. */
function createsInNamespace(cmd: AdmittedCommand): boolean {
  const info = RESOURCE_INFO[cmd.ref.resource];
  return !info.clusterScoped && info.commands.create === cmd.type;
}

/** One pod instance, as a quota counts it. */
interface PodInstance {
  pod: string;
  uid: string;
}

/** Namespace and quota admission; one per actor host. */
export class Admission {
  constructor(
    private readonly index: NamespaceIndex,
    private readonly runInternal: RunInternal,
    private readonly log: Logger,
    private readonly kindContext?: KindAdmissionContext,
  ) {}

  /** Runs `execute` (the decision and append of `cmd` on `entity`) under the namespace and quota rules. */
  async around(cmd: AdmittedCommand, command: Command, entity: Entity, execute: () => Promise<CommandReply>): Promise<CommandReply> {
    if (entity.outcomeOf(command.meta.id)) return execute(); // a repeat: its reply comes from history
    if (createsInNamespace(cmd)) await this.admitCreate(cmd);
    const admit = cmd.kind.admit;
    if (admit && this.kindContext) return admit(this.kindContext, command, cmd.kind.decider.render(entity.state), execute);
    if (cmd.type === "CreatePod") return this.createPod(cmd, command, entity, execute);
    if (cmd.ref.resource !== "pods") return execute();
    const before = countedPod(entity);
    const reply = await execute();
    if (before && countedPod(entity)?.uid !== before.uid) await this.releaseEverywhere(cmd.ref.namespace, before);
    return reply;
  }

  private async admitCreate(cmd: AdmittedCommand): Promise<void> {
    const ns = cmd.ref.namespace;
    await this.index.fence(ns, { namespace: true, quotas: cmd.type === "CreatePod" });
    const phase = this.index.phaseOf(ns);
    if (phase === undefined) throw new StatusError("NotFound", `namespaces "${ns}" not found`, { kind: "namespaces", name: ns });
    if (phase === "Terminating") {
      throw new StatusError("Forbidden", `unable to create new content in namespace ${ns} because it is being terminated`, {
        kind: cmd.ref.resource, name: cmd.ref.name,
      });
    }
  }

  /** Reserves, creates, and releases again unless this very command created the pod. */
  private async createPod(cmd: AdmittedCommand, command: Command, entity: Entity, execute: () => Promise<CommandReply>): Promise<CommandReply> {
    const ns = cmd.ref.namespace;
    const pod = { pod: cmd.ref.name, uid: command.meta.uid };
    const held = await this.reserveAll(ns, pod, podQuotaRequests((cmd.data as PodManifest).spec));
    try {
      return await execute();
    } finally {
      if (held.length > 0 && cmd.kind.decider.uidOf(entity.state) !== pod.uid) await this.release(ns, held, pod);
    }
  }

  private async reserveAll(ns: string, pod: PodInstance, requests: PodQuotaRequests): Promise<string[]> {
    const held: string[] = [];
    try {
      for (const quota of this.index.quotasIn(ns)) {
        if (await this.reserve(ns, quota, pod, requests)) held.push(quota);
      }
      return held;
    } catch (err) {
      await this.release(ns, held, pod);
      throw err;
    }
  }

  /** True when reserved; false when the quota has gone meanwhile; throws the quota's refusal as the pod's. */
  private async reserve(ns: string, quota: string, pod: PodInstance, requests: PodQuotaRequests): Promise<boolean> {
    try {
      await this.runInternal(quotaRef(ns, quota), "ReserveQuota", { ...pod, requests }, `quota:${quota}:reserve:${pod.uid}`);
      return true;
    } catch (err) {
      const status = toStatusError(err);
      if (status.reason === "NotFound") return false;
      throw new StatusError(status.reason, status.message, { kind: "pods", name: pod.pod }, { cause: err });
    }
  }

  private async releaseEverywhere(ns: string, pod: PodInstance): Promise<void> {
    try {
      await this.index.fence(ns, { namespace: false, quotas: true });
    } catch (err) {
      this.log.warn({ err: String(err), ns, pod: pod.pod }, "quota index not fresh; releasing in the quotas known");
    }
    await this.release(ns, this.index.quotasIn(ns), pod);
  }

  /** Releases `pod` in each of `quotas`; a failure is logged, never the caller's (the quota controller repairs it). */
  private async release(ns: string, quotas: readonly string[], pod: PodInstance): Promise<void> {
    for (const quota of quotas) {
      await this.runInternal(quotaRef(ns, quota), "ReleaseQuota", pod, `quota:${quota}:release:${pod.uid}`).catch((err: unknown) => {
        const status = toStatusError(err);
        if (status.reason !== "NotFound") this.log.warn({ status: status.toStatus(), ns, quota, pod: pod.pod }, "quota release failed");
      });
    }
  }
}

function quotaRef(namespace: string, name: string): EntityRef {
  return { resource: "resourcequotas", namespace, name };
}

/** The pod instance while it counts against quotas (it exists and has not ended), else null. */
function countedPod(entity: Entity): PodInstance | null {
  const pod = entity.kind.decider.render(entity.state) as Pod | null;
  if (!pod || pod.status.phase === "Succeeded" || pod.status.phase === "Failed") return null;
  return { pod: pod.metadata.name, uid: pod.metadata.uid };
}
