/** `coxctl get <kind> [name]`: a table (or wide/json/yaml/name), filtered by selectors, optionally watched (`-w`). */
import type { Resource } from "../../api/kinds.js";
import { RESOURCE_INFO } from "../../api/kinds.js";
import { StatusError } from "../../api/status.js";
import type { Watch } from "../../projections/readClient.js";
import { headersOf, rowOf } from "./columns.js";
import { namespaceOf, withClient, type Client, type CoxctlFlags } from "./context.js";
import { interruptSignal } from "./interrupt.js";
import { resolveTypeAndName } from "./kinds.js";
import { outputFormatOf, renderObjects, type OutputFormat } from "./output.js";
import { StreamingTable } from "./table.js";
import { getCluster } from "./cluster.js";

/** The flags of `get`. */
export interface GetFlags extends CoxctlFlags {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  watch?: boolean;
  chunkSize?: string;
}

interface GetPlan {
  resource: Resource;
  name: string | undefined;
  /** null: every namespace. */
  namespace: string | null;
  format: OutputFormat;
  withNamespace: boolean;
}

const out = (text: string) => process.stdout.write(text);

/** Runs `get`. */
export async function get(kind: string, nameArg: string | undefined, flags: GetFlags): Promise<void> {
  if (kind === "cluster" && nameArg === undefined) return getCluster(flags);
  const { resource, name } = resolveTypeAndName(kind, nameArg);
  const clusterScoped = RESOURCE_INFO[resource].clusterScoped;
  const all = flags.allNamespaces === true && !clusterScoped && name === undefined;
  const plan: GetPlan = { resource, name, namespace: all ? null : namespaceOf(flags), format: outputFormatOf(flags.output), withNamespace: all };
  await withClient(flags, async (client) => {
    const rv = name !== undefined ? await printOne(client, plan) : await printList(client, plan, flags);
    if (flags.watch) await follow(client, plan, flags, rv);
  });
}

async function printOne(client: Client, plan: GetPlan): Promise<string> {
  const object = await client.reads.get(plan.resource, plan.namespace ?? "", plan.name ?? "");
  out(renderObjects(plan.resource, [object], { format: plan.format, single: true, now: new Date() }));
  return String((object.metadata as { resourceVersion?: string }).resourceVersion ?? "0");
}

async function printList(client: Client, plan: GetPlan, flags: GetFlags): Promise<string> {
  const pageSize = chunkSizeOf(flags.chunkSize);
  const { items, resourceVersion } = await client.reads.list(plan.resource, plan.namespace, {
    labelSelector: flags.selector, fieldSelector: flags.fieldSelector, ...(pageSize ? { pageSize } : {}),
  });
  if (items.length === 0 && (plan.format === "table" || plan.format === "wide")) {
    const where = RESOURCE_INFO[plan.resource].clusterScoped || plan.namespace === null ? "" : ` in ${plan.namespace} namespace`;
    process.stderr.write(`No resources found${where}.\n`);
    return resourceVersion;
  }
  if (!flags.watch || items.length > 0) out(renderObjects(plan.resource, items, { format: plan.format, withNamespace: plan.withNamespace, now: new Date() }));
  return resourceVersion;
}

/** Prints each change after `resourceVersion` until Ctrl-C; a watch the server ends is opened again from the last change. */
async function follow(client: Client, plan: GetPlan, flags: GetFlags, resourceVersion: string): Promise<void> {
  const signal = interruptSignal();
  const table = new StreamingTable(headersOf(plan.resource, { wide: plan.format === "wide", withNamespace: plan.withNamespace }), out);
  let rv = resourceVersion;
  const fieldSelector = [flags.fieldSelector, plan.name ? `metadata.name=${plan.name}` : undefined].filter(Boolean).join(",") || undefined;
  while (!signal.aborted) {
    const watch: Watch = await client.reads.watch(plan.resource, plan.namespace, { labelSelector: flags.selector, fieldSelector, resourceVersion: rv });
    const stop = () => void watch.stop();
    signal.addEventListener("abort", stop, { once: true });
    try {
      for await (const e of watch) {
        rv = String((e.object.metadata as { resourceVersion?: string }).resourceVersion ?? rv);
        if (plan.format === "table" || plan.format === "wide") {
          table.print([rowOf(plan.resource, e.object, { wide: plan.format === "wide", withNamespace: plan.withNamespace, now: new Date() })]);
        } else {
          out(renderObjects(plan.resource, [e.object], { format: plan.format, single: true, now: new Date() }));
        }
      }
    } catch (err) {
      // A Timeout or Unavailable ERROR ends this watch; anything else (Expired, BadRequest) is the user's to see.
      if (!isResumable(err)) throw err;
    } finally {
      signal.removeEventListener("abort", stop);
    }
  }
}

function isResumable(err: unknown): boolean {
  const reason = (err as { reason?: string }).reason;
  return reason === "Timeout" || reason === "Unavailable";
}

/** `--chunk-size`: a positive whole number, or undefined (the default page size). */
function chunkSizeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new StatusError("BadRequest", `--chunk-size must be a positive whole number, not "${text}"`, { causes: [{ field: "chunk-size", message: "must be a positive integer" }] });
  return n;
}
