/**
 * The read side of the `events` kind: its codec, the render of its documents (a kept Event, see kept.ts, into the
 * core v1 Event) and the fields a field selector may name, as the Kubernetes API server allows them for events.
 * Its decider takes no command: the read model only serves them (the actor host's Event actor, src/actors/event,
 * takes what clients write).
 */
import { eventCodec } from "../../api/event.js";
import { StatusError } from "../../api/status.js";
import type { ActorKind } from "../../actors/registry.js";
import { eventUid, renderKept, type KeptEvent } from "./kept.js";

/** Field selector labels of events and the path each reads (`source` is the reporting component). */
export const EVENT_SELECTABLE_FIELDS: Readonly<Record<string, string>> = {
  "metadata.name": "metadata.name",
  "metadata.namespace": "metadata.namespace",
  "involvedObject.kind": "involvedObject.kind",
  "involvedObject.namespace": "involvedObject.namespace",
  "involvedObject.name": "involvedObject.name",
  "involvedObject.uid": "involvedObject.uid",
  "involvedObject.apiVersion": "involvedObject.apiVersion",
  "involvedObject.resourceVersion": "involvedObject.resourceVersion",
  "involvedObject.fieldPath": "involvedObject.fieldPath",
  reason: "reason",
  reportingComponent: "reportingComponent",
  source: "source.component",
  type: "type",
};

/** The `events` kind as the read model serves it. */
export const EVENTS_KIND: ActorKind = {
  decider: {
    resource: "events",
    commands: {},
    initialState: null,
    decide() {
      throw new StatusError("MethodNotAllowed", "the read model's Events take no command: the Event actor records what clients write");
    },
    evolve: (state: unknown) => state,
    // The state of an Event document is the document itself, a KeptEvent (see fold.ts).
    render: (state: KeptEvent | null) => (state ? (renderKept(state) as unknown as Record<string, unknown>) : null),
    uidOf: (state: KeptEvent | null) => (state ? eventUid(state.namespace, state.name) : undefined),
  },
  codec: eventCodec,
  selectableFields: EVENT_SELECTABLE_FIELDS,
  // No indexedFields: the Event projection holds its documents by namespace (at most 1,000 each), and a list filters those.
};
