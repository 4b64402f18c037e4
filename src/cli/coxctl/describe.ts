/**
 * `coxctl describe <kind> <name>`: the object in words, then its recent events from its subject in COX_EVENTS.
 * The events are read first and the object is asked at least as new as the last of them, so the two agree.
 */
import { CLUSTER_NS, RESOURCE_INFO, type Resource } from "../../api/kinds.js";
import type { Pod } from "../../api/pod.js";
import type { ReplicationController } from "../../api/replicationController.js";
import type { StoredEvent } from "../../events/envelope.js";
import { namespaceOf, withClient, type Client, type CoxctlFlags } from "./context.js";
import { describeObject, type Related } from "./describers.js";
import { CoxctlError } from "./errors.js";
import { entityFilter, readEvents, summarizeData } from "./eventFeed.js";
import { resolveTypeAndName } from "./kinds.js";
import { ageOf, formatTable } from "./table.js";

/** Events shown under `Events:`. */
const RECENT_EVENTS = 20;

/** Runs `describe`. */
export async function describe(kind: string, nameArg: string | undefined, flags: CoxctlFlags): Promise<void> {
  const { resource, name } = resolveTypeAndName(kind, nameArg);
  if (!name) throw new CoxctlError(`describe needs a name: coxctl describe ${kind} NAME`);
  const namespace = RESOURCE_INFO[resource].clusterScoped ? CLUSTER_NS : namespaceOf(flags);
  await withClient(flags, async (client) => {
    const recent: StoredEvent[] = [];
    for await (const e of readEvents(client.nc, entityFilter(client.prefix, { resource, namespace, name }))) {
      recent.push(e);
      if (recent.length > RECENT_EVENTS) recent.shift();
    }
    const last = recent.at(-1)?.sequence;
    const object = await client.reads.get(resource, namespace, name, last === undefined ? {} : { minResourceVersion: String(last) });
    const related = await relatedOf(client, resource, object);
    process.stdout.write(describeObject(resource, object, related));
    process.stdout.write(eventsSection(recent, new Date()));
  });
}

async function relatedOf(client: Client, resource: Resource, object: Record<string, unknown>): Promise<Related> {
  if (resource === "replicationcontrollers") {
    const rc = object as unknown as ReplicationController;
    const labelSelector = Object.entries(rc.spec.selector).map(([k, v]) => `${k}=${v}`).join(",");
    const { items } = await client.reads.list("pods", rc.metadata.namespace ?? "default", { labelSelector });
    return { pods: items as unknown as Pod[] };
  }
  if (resource === "nodes") {
    const name = (object.metadata as { name: string }).name;
    const { items } = await client.reads.list("pods", null, { fieldSelector: `spec.nodeName=${name}` });
    return { pods: items as unknown as Pod[] };
  }
  return {};
}

/** The `Events:` section: one row per event, oldest first. Pure. */
export function eventsSection(events: StoredEvent[], now: Date): string {
  if (events.length === 0) return "Events:         <none>\n";
  const rows = events.map((e) => [e.event.type, ageOf(e.event.time, now), e.event.actor ?? "", summarizeData(e.event.data)]);
  return `Events:\n${formatTable({ headers: ["TYPE", "AGE", "FROM", "DATA"], rows }).replace(/^(?=.)/gm, "  ")}`;
}
