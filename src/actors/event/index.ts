/**
 * Event actor (core v1): an Event a client writes (client-go's recorder creates one, then patches its count as it
 * sees it again). `EventRecorded` carries the whole Event each time, create or update, and `EventDeleted` nothing:
 * the read model's Event projection folds both beside the Events it derives from the stream (src/projections/kubeEvents),
 * under the same 1-hour TTL and per-namespace cap. A delete is recorded whether or not a client wrote the Event, so a
 * derived Event can be deleted too (as any Event can in Kubernetes).
 */
import { eventCodec, storedEvent, type Event, type EventManifest } from "../../api/event.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, requireAbsent, requireExisting, unknownCommand, unknownEvent } from "../decisions.js";
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
        requireAbsent(state, "events", name);
        return [{ type: "EventRecorded", data: { object: storedEvent(command.data, { name, namespace, time }) } }];
      case "UpdateEvent": {
        const current = requireExisting(state, "events", name);
        const object = storedEvent(command.data, { name, namespace, time: current.metadata.creationTimestamp });
        return [{ type: "EventRecorded", data: { object } }];
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

/** Absent ⇄ Recorded; a delete is taken in either (an Event the stream derived has no actor of its own). */
export const eventLifecycle: Lifecycle<Event | null, "Absent" | "Recorded", EventCommand["type"], EventEvent["type"]> = {
  absent: "Absent",
  states: {
    Absent: { accepts: ["CreateEvent", "DeleteEvent"], on: { EventRecorded: ["Recorded"] } },
    Recorded: { accepts: ["UpdateEvent", "DeleteEvent"], on: { EventDeleted: ["Absent"] } },
  },
  phaseOf: (state) => (state ? "Recorded" : "Absent"),
};

/** The Event's registration: its decider, codec and lifecycle. */
export const eventKind = { decider: eventDecider, codec: eventCodec, lifecycle: eventLifecycle } satisfies ActorKind;
