/**
 * Admission in the actor host, around the decision of every command:
 * - namespace lifecycle: an object is created only in a namespace that exists and is not Terminating (updates and
 *   deletes stay allowed), as Kubernetes' NamespaceLifecycle admission says it;
 * - then the kind's own admission, from its registration (`ActorKind.admit`): a pod's quota reservations
 *   (src/actors/pod/admission.ts), a Service's clusterIP (src/actors/service/clusterIP.ts).
 * A host that dies between a reservation and the pod's create (or between a pod's end and its release) leaves a
 * reservation behind, and a quota created while pods already run does not count them: the quota controller
 * (src/controllers/resourceQuota/) repairs both from the read model with ResyncQuota.
 */
import { RESOURCE_INFO } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import type { CommandReply } from "../api/reply.js";
import type { Command } from "./decider.js";
import { isCreateCommand } from "../api/manifestCommands.js";
import type { AdmittedCommand } from "./door.js";
import type { Entity } from "./entity.js";
import type { NamespaceIndex } from "./namespaceIndex.js";
import type { KindAdmissionContext } from "./kindAdmission.js";

/** True for the command that creates an object of a namespaced kind (the kinds registry names it). Pure. */
function createsInNamespace(cmd: AdmittedCommand): boolean {
  return !RESOURCE_INFO[cmd.ref.resource].clusterScoped && isCreateCommand(cmd.ref.resource, cmd.type);
}

/** Namespace admission and the kinds' own; one per actor host. */
export class Admission {
  constructor(private readonly index: NamespaceIndex, private readonly kindContext: KindAdmissionContext) {}

  /** Runs `execute` (the decision and append of `cmd` on `entity`) under the namespace rules and the kind's own. */
  async around(cmd: AdmittedCommand, command: Command, entity: Entity, execute: () => Promise<CommandReply>): Promise<CommandReply> {
    if (entity.outcomeOf(command.meta.id)) return execute(); // a repeat: its reply comes from history
    if (createsInNamespace(cmd)) await this.admitCreate(cmd);
    const admit = cmd.kind.admit;
    if (!admit) return execute();
    return admit(this.kindContext, { command, current: () => cmd.kind.decider.render(entity.state), execute });
  }

  private async admitCreate(cmd: AdmittedCommand): Promise<void> {
    const ns = cmd.ref.namespace;
    await this.index.fence(ns, { namespace: true, names: cmd.kind.fencesOnCreate ?? [] });
    const phase = this.index.phaseOf(ns);
    if (phase === undefined) throw new StatusError("NotFound", `namespaces "${ns}" not found`, { kind: "namespaces", name: ns });
    if (phase === "Terminating") {
      throw new StatusError("Forbidden", `unable to create new content in namespace ${ns} because it is being terminated`, {
        kind: cmd.ref.resource, name: cmd.ref.name,
      });
    }
  }
}
