/**
 * Event actor (core v1): an Event a client writes (client-go's recorder creates one, then patches its count as it
 * sees it again). Every command writes it whole, whether or not it exists: `EventRecorded` carries the whole Event,
 * `EventDeleted` nothing, and the read model's Event projection folds both beside the Events it derives from the
 * stream (src/projections/kubeEvents), under the same 1-hour TTL and per-namespace cap. So a create of a name whose
 * Event the projection has let expire records it again (where Kubernetes' store has forgotten it too), an update or a
 * delete of a derived Event (which has no actor) is recorded all the same, and a write that changes nothing records
 * nothing.
 */
import { eventCodec, storedEvent, type Event, type EventManifest } from "../../api/event.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, sameValue, unknownCommand, unknownEvent } from "../decisions.js";
import { z } from "zod";
import type { Lifecycle } from "../lifecycle.js";
import type { ActorKind } from "../registry.js";

type EventCommand = Command<"CreateEvent" | "UpdateEvent", EventManifest> | Command<"DeleteEvent", DeleteOptions>;
type EventEvent = RecordedEvent<"EventRecorded", { object: Event }> | RecordedEvent<"EventDeleted", Record<string, never>>;

/** The Event decider: the Event as last written, or null. Pure. */
export const eventDecider: Decider<Event | null, EventCommand, EventEvent> = {
  resource: "events",
  commands: {
    CreateEvent: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
    UpdateEvent: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
    DeleteEvent: { schema: DeleteOptions, senders: ["user", "controller"] },
  },
  initialState: null,
  decide(command, state) {
    const { name, namespace, time } = command.meta;
    switch (command.type) {
      case "CreateEvent":
      case "UpdateEvent": {
        const object = storedEvent(command.data, { name, namespace, time: state?.metadata.creationTimestamp ?? time });
        return state && sameValue(object, state) ? [] : [{ type: "EventRecorded", data: { object } }];
      }
      case "DeleteEvent":
        return [{ type: "EventDeleted", data: {} }];
      default:
        throw unknownCommand(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case "EventRecorded": return event.data.object;
      case "EventDeleted": return null;
      default: return unknownEvent(event, state);
    }
  },
  render: (state) => state as unknown as Record<string, unknown> | null,
  uidOf: (state) => state?.metadata.uid,
};

/** Absent ⇄ Recorded; every command is taken in either (see `upserts`). */
export const eventLifecycle: Lifecycle<Event | null, "Absent" | "Recorded", EventCommand["type"], EventEvent["type"]> = {
  absent: "Absent",
  states: {
    Absent: { accepts: ["CreateEvent", "UpdateEvent", "DeleteEvent"], on: { EventRecorded: ["Recorded"] } },
    Recorded: { accepts: ["CreateEvent", "UpdateEvent", "DeleteEvent"], on: { EventDeleted: ["Absent"] } },
  },
  phaseOf: (state) => (state ? "Recorded" : "Absent"),
  upserts: true,
};

/** The Event's registration: its decider, codec and lifecycle. */
export const eventKind = { decider: eventDecider, codec: eventCodec, lifecycle: eventLifecycle } satisfies ActorKind;
