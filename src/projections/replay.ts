/** Rebuilding the read model from an exported JSON-lines event log, without a server. */
import { createReadStream } from "node:fs";
import type { Resource } from "../api/kinds.js";
import { ACTOR_KINDS, type ActorKinds } from "../actors/registry.js";
import type { EventEnvelope, StoredEvent } from "../events/envelope.js";
import { isSealed, sealedFor, unseal } from "../events/sealing.js";
import { readLog } from "../events/eventLog.js";
import { upcast } from "../events/upcast.js";
import { API_DERIVED } from "./derivedKinds.js";
import { ReadModel } from "./readModel.js";

/**
 * The read model a log ends in: the v1 objects of each kind (sorted by namespace, name) and the last sequence; and
 * how many events were sealed (a Secret's) with no key in this process to open them: those are left out.
 */
export interface ReplayResult {
  resourceVersion: string;
  items: Partial<Record<Resource, Record<string, unknown>[]>>;
  sealed?: number;
}

/**
 * Replays `events` (or the JSON-lines log at a path) through the same projections the API runs (Events derived too),
 * and returns every object by kind, rendered in `apiVersion` (v1 by default). The prefix is taken from the first event's subject.
 * An event whose data is sealed and cannot be opened here is left out, and counted.
 */
export async function replay(source: Iterable<StoredEvent> | string, opts: { kinds?: ActorKinds; apiVersion?: "v1" | "v1beta1" } = {}): Promise<ReplayResult> {
  const events = typeof source === "string" ? await readLog(createReadStream(source)) : [...source];
  const first = events[0];
  const prefix = first ? subjectPrefix(first.subject) : "cox";
  const kinds = opts.kinds ?? ACTOR_KINDS;
  const model = new ReadModel(prefix, kinds, API_DERIVED);
  let sealed = 0;
  for (const e of events) {
    const event = opened(e.event);
    if (event) model.apply({ ...e, event: upcast(event) });
    else sealed++;
  }
  const items: ReplayResult["items"] = {};
  for (const [resource, kind] of Object.entries(model.kinds) as [Resource, NonNullable<ActorKinds[Resource]>][]) {
    const found = model.list(resource, null, { labels: [], fields: [] });
    if (found.length > 0) items[resource] = found.map((d) => kind.codec.render(opts.apiVersion ?? "v1", d.object));
  }
  return { resourceVersion: String(model.sequence), items, ...(sealed > 0 ? { sealed } : {}) };
}

/** The event with its sealed data opened with this process's key, or null when it cannot be (no key, another key). */
function opened(event: EventEnvelope): EventEnvelope | null {
  if (!isSealed(event.data)) return event;
  try {
    const data = unseal(event.data, sealedFor(event));
    return isSealed(data) ? null : { ...event, data };
  } catch {
    return null;
  }
}

function subjectPrefix(subject: string): string {
  const i = subject.indexOf(".ev.");
  return i > 0 ? subject.slice(0, i) : "cox";
}
