/**
 * A controller's create with a durable id (so that two leaders, or a retry, make the object once), made again once
 * the object it made is gone. The actor host answers a repeat of an id from the entity's history, even after a
 * deletion, as a retry's answer must be; so a create sent again under the same id after a user deleted the object
 * would do nothing, where Kubernetes' controllers make it again (a namespace's `default` ServiceAccount, a
 * Deployment's ReplicaSet for its template). When the answer names a create the view has already applied and the
 * view does not hold the object, the next id is chained to that create's sequence (`<id>@<sequence>`): the same on
 * every leader and after a restart; each link's create is later than the last, so the chain ends. An entity
 * remembers its last 64 command ids, so past ~32 deletions the first links are forgotten and the base id creates.
 */
import type { Resource } from "../api/kinds.js";
import type { CommandReply } from "../api/reply.js";
import type { KindRef, OutgoingCommand } from "../actors/kindCommands.js";
import type { ControllerContext } from "./context.js";

/** Sends `command` (a create) to `ref`, then again past each earlier create of its id that was since deleted; the last reply. */
export async function sendCreate<R extends Resource>(ctx: Pick<ControllerContext, "view" | "sender">, ref: KindRef<R>, command: OutgoingCommand<R>): Promise<CommandReply> {
  for (let id = command.id, last = 0; ;) {
    const reply = await ctx.sender.send(ref, id === undefined ? command : { ...command, id });
    if (!reply.ok || id === undefined) return reply;
    const created = Number(reply.resourceVersion);
    // Not yet in the view (its change brings the key back), or there: this create stands.
    if (!(created > last) || ctx.view.appliedSequence < created || ctx.view.get(ref.resource, ref.namespace, ref.name)) return reply;
    id = `${command.id}@${created}`; // a create since deleted (the view applied it and holds no such object): chain past it
    last = created;
  }
}
