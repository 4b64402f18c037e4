/**
 * Who may send what, beyond the door's parse (which checks the channel's role against the command's senders):
 * a command only an elected controller sends must carry its term, and no term may be older than the lease's
 * (fencing); a node agent speaks only for the entities its kind's registration gives it (`ActorKind.nodeScope`:
 * its own Node, the pods bound to it).
 */
import { StatusError } from "../api/status.js";
import type { AdmittedCommand } from "./door.js";
import type { Entity } from "./entity.js";

/** Checks a fencing term; throws StaleTerm when it is older than the current lease's. */
export interface TermCheck {
  check(term: number): void;
  stop?(): void;
}

/** Refuses (Forbidden) a controller-only command without a term; checks a term it carries against the lease. */
export function checkTerm(cmd: AdmittedCommand, fencing: TermCheck | undefined): void {
  if (cmd.channel.role === "timer" || cmd.channel.role === "host") return; // the host's own commands, not a sender's claim
  const senders = cmd.kind.decider.commands[cmd.type]?.senders ?? [];
  if (cmd.term === undefined && senders.length > 0 && senders.every((s: string) => s === "controller")) {
    throw new StatusError("Forbidden", `${cmd.type} is sent only by an elected controller and must carry its term`, {
      kind: cmd.ref.resource, name: cmd.ref.name, causes: [{ field: "term", message: "Required" }],
    });
  }
  if (cmd.term !== undefined) fencing?.check(cmd.term);
}

/**
 * Refuses (Forbidden) a node agent's command on an entity its kind does not let that node act on. A refusal is a
 * decision too: one the cached entity would give is checked again on its latest version (another host may have
 * bound the pod meanwhile).
 */
export async function checkNodeScope(cmd: AdmittedCommand, entity: Entity, catchUp: () => Promise<number>): Promise<void> {
  if (cmd.channel.role !== "node") return;
  const node = cmd.channel.node;
  const scope = cmd.kind.nodeScope;
  const refusal = () => scope
    ? scope(node, cmd.ref, cmd.kind.decider.render(entity.state))
    : `node ${node} may not act on ${cmd.ref.resource}`;
  let why = refusal();
  if (why !== null && scope && (await catchUp()) > 0) why = refusal();
  if (why !== null) throw new StatusError("Forbidden", why, { kind: cmd.ref.resource, name: cmd.ref.name });
}
