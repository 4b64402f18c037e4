/** `coxctl scale rc <name> --replicas N`: ScaleReplicationController. */
import { namespaceOf, withClient, type CoxctlFlags } from "./context.js";
import { CoxctlError } from "./errors.js";
import { resolveTypeAndName, singularOf } from "./kinds.js";

/** Runs `scale`. */
export async function scale(kind: string, nameArg: string | undefined, flags: CoxctlFlags & { replicas: string }): Promise<void> {
  const { resource, name } = resolveTypeAndName(kind, nameArg);
  if (resource !== "replicationcontrollers") throw new CoxctlError(`cannot scale ${resource}: only replicationcontrollers scale`);
  if (!name) throw new CoxctlError("scale needs a name: coxctl scale rc NAME --replicas N");
  const replicas = Number(flags.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) throw new CoxctlError(`--replicas must be an integer ≥ 0, not "${flags.replicas}"`);
  await withClient(flags, async (client) => {
    await client.send({ resource, namespace: namespaceOf(flags), name }, { type: "ScaleReplicationController", data: { replicas } });
    process.stdout.write(`${singularOf(resource)}/${name} scaled\n`);
  });
}
