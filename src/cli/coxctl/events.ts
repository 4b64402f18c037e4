/** `coxctl events [name]`: the event stream, filtered by kind, namespace and name; `-w` follows; `events export` writes it as JSON lines. */
import { RESOURCE_INFO } from "../../api/kinds.js";
import type { StoredEvent } from "../../events/envelope.js";
import { exportLog } from "../../events/eventLog.js";
import { EventStore } from "../../events/eventStore.js";
import { refFromEventSubject } from "../../events/subjects.js";
import { withClient, type CoxctlFlags } from "./context.js";
import { eventFilterOf, readEvents, summarizeData } from "./eventFeed.js";
import { interruptSignal } from "./interrupt.js";
import { resolveResource, singularOf } from "./kinds.js";
import { StreamingTable, ageOf } from "./table.js";

/** The flags of `events`. */
export interface EventsFlags extends CoxctlFlags {
  kind?: string;
  watch?: boolean;
}

const HEADERS = ["AGE", "NAMESPACE", "OBJECT", "EVENT", "VERSION", "DATA"];

/** One event's row. Pure. */
export function eventRow(prefix: string, e: StoredEvent, now: Date): string[] {
  const ref = refFromEventSubject(prefix, e.subject);
  const object = ref ? `${singularOf(ref.resource)}/${ref.name}` : e.subject;
  const ns = ref && !RESOURCE_INFO[ref.resource].clusterScoped ? ref.namespace : "";
  return [ageOf(e.event.time, now), ns, object, e.event.type, String(e.event.version), summarizeData(e.event.data)];
}

/** Runs `events`: every matching event (all namespaces unless `-n`), oldest first; with `-w`, then new ones until Ctrl-C. */
export async function events(name: string | undefined, flags: EventsFlags): Promise<void> {
  const resource = flags.kind ? resolveResource(flags.kind) : undefined;
  await withClient(flags, async (client) => {
    const filter = eventFilterOf(client.prefix, { resource, namespace: flags.namespace, name });
    const table = new StreamingTable(HEADERS, (t) => process.stdout.write(t));
    const batch: string[][] = [];
    const signal = flags.watch ? interruptSignal() : undefined;
    const flush = () => {
      if (batch.length > 0) table.print(batch.splice(0));
    };
    // Rows are printed in batches so that the first screenful sets sensible column widths.
    const timer = setInterval(flush, 200);
    try {
      for await (const e of readEvents(client.nc, filter, { follow: flags.watch === true, ...(signal ? { signal } : {}) })) {
        batch.push(eventRow(client.prefix, e, new Date()));
        if (batch.length >= 500) flush();
      }
    } finally {
      clearInterval(timer);
      flush();
    }
    if (!flags.watch && table.printed === 0) process.stderr.write("No events found.\n");
  });
}

/** Runs `events export`: the whole log (or one kind's) as JSON lines on stdout, the count on stderr. */
export async function exportEvents(flags: EventsFlags): Promise<void> {
  const resource = flags.kind ? resolveResource(flags.kind) : undefined;
  await withClient(flags, async (client) => {
    const store = await EventStore.open(client.nc, { prefix: client.prefix });
    const filter = resource || flags.namespace ? eventFilterOf(client.prefix, { resource, namespace: flags.namespace }) : undefined;
    const n = await exportLog(store, process.stdout, filter);
    process.stderr.write(`exported ${n} events\n`);
  });
}
