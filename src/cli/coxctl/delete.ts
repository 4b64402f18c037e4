/** `coxctl delete <kind> <name>…` and `coxctl delete -f FILE`: Delete<Kind> for each object, printed as kubectl does. */
import { untypedCommand } from "../../nats/commandClient.js";
import { CLUSTER_NS, RESOURCE_INFO, type EntityRef } from "../../api/kinds.js";
import { loadObjects } from "./create.js";
import { namespaceOf, withClient, type CoxctlFlags } from "./context.js";
import { CoxctlError, forEachReporting } from "./errors.js";
import { resolveTypeAndName, singularOf } from "./kinds.js";
import { deleteCommandOf } from "../../api/manifestCommands.js";

/** The flags of `delete`. */
export interface DeleteFlags extends CoxctlFlags {
  filename: string[];
  gracePeriod?: string;
}

/** Runs `delete`. */
export async function deleteObjects(args: string[], flags: DeleteFlags): Promise<void> {
  const refs = flags.filename.length > 0 ? loadObjects(flags).map((o) => o.ref) : refsOf(args, flags);
  const grace = flags.gracePeriod === undefined ? undefined : Number(flags.gracePeriod);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw new CoxctlError(`--grace-period must be an integer ≥ 0, not "${flags.gracePeriod}"`);
  await withClient(flags, async (client) => {
    await forEachReporting(refs, async (ref) => {
      await client.send(ref, untypedCommand({ type: deleteCommandOf(ref.resource), data: grace === undefined ? {} : { gracePeriodSeconds: grace } }));
      process.stdout.write(`${singularOf(ref.resource)} "${ref.name}" deleted\n`);
    });
  });
}

/** `pod web db` or `pod/web rc/front`. Pure. */
function refsOf(args: string[], flags: DeleteFlags): EntityRef[] {
  const [first, ...rest] = args;
  if (!first) throw new CoxctlError("you must provide one or more resources by argument or filename (-f)");
  const refs: EntityRef[] = [];
  const typed = first.includes("/");
  const { resource } = resolveTypeAndName(first);
  const names = typed ? args : rest;
  if (names.length === 0) throw new CoxctlError(`resource(s) were provided, but no name was specified`);
  for (const arg of names) {
    const r = typed ? resolveTypeAndName(arg) : { resource, name: arg };
    if (!r.name) throw new CoxctlError(`no name in "${arg}"`);
    const namespace = RESOURCE_INFO[r.resource].clusterScoped ? CLUSTER_NS : namespaceOf(flags);
    refs.push({ resource: r.resource, namespace, name: r.name });
  }
  return refs;
}
