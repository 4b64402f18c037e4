/**
 * Event actor (core v1): an Event a client writes (client-go's recorder creates one, then patches its count as it
 * sees it again). `EventRecorded` carries the whole Event, `EventDeleted` nothing, and the read model's Event
 * projection folds both beside the Events it derives from the stream (src/projections/kubeEvents), under the same
 * 1-hour TTL and per-namespace cap. The actor counts its Event as live for that TTL from its last write, as the
 * projection does: a create of a live one is AlreadyExists, of one the projection has let expire records it anew.
 * An update or a delete is taken whether or not the Event exists (a derived Event has no actor: it is updated or
 * deleted all the same), and an update that changes nothing records nothing.
 */
import { EVENT_TTL_MS, eventCodec, storedEvent, type Event, type EventManifest } from "../../api/event.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, requireAbsent, sameValue, unknownCommand, unknownEvent } from "../decisions.js";
import { z } from "zod";
import type { Lifecycle } from "../lifecycle.js";
import type { ActorKind } from "../registry.js";

type EventCommand = Command<"CreateEvent" | "UpdateEvent", EventManifest> | Command<"DeleteEvent", DeleteOptions>;
type EventEvent = RecordedEvent<"EventRecorded", { object: Event }> | RecordedEvent<"EventDeleted", Record<string, never>>;

/** The Event as last written and when (stream time), or null. */
export type EventState = { object: Event; at: string } | null;

/** The Event decider. Pure. */
export const eventDecider: Decider<EventState, EventCommand, EventEvent> = {
  resource: "events",
  commands: {
    CreateEvent: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
    UpdateEvent: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
    DeleteEvent: { schema: DeleteOptions, senders: ["user", "controller"] },
  },
  initialState: null,
  decide(command, state) {
    const { name, namespace, time, nowMs } = command.meta;
    // Live as long as the projection keeps it: past the TTL from its last write, it is gone there too.
    const live = state && nowMs - Date.parse(state.at) < EVENT_TTL_MS ? state.object : null;
    switch (command.type) {
      case "CreateEvent":
        requireAbsent(live, "events", name);
        return [{ type: "EventRecorded", data: { object: storedEvent(command.data, { name, namespace, time }) } }];
      case "UpdateEvent": {
        const object = storedEvent(command.data, { name, namespace, time: live?.metadata.creationTimestamp ?? time });
        return live && sameValue(object, live) ? [] : [{ type: "EventRecorded", data: { object } }];
      }
      case "DeleteEvent":
        return [{ type: "EventDeleted", data: {} }];
      default:
        throw unknownCommand(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case "EventRecorded": return { object: event.data.object, at: event.time };
      case "EventDeleted": return null;
      default: return unknownEvent(event, state);
    }
  },
  render: (state) => (state ? (state.object as unknown as Record<string, unknown>) : null),
  uidOf: (state) => state?.object.metadata.uid,
};

/** Absent ⇄ Recorded; every command is taken in either (see `upserts`; the decider refuses a create of a live Event). */
export const eventLifecycle: Lifecycle<EventState, "Absent" | "Recorded", EventCommand["type"], EventEvent["type"]> = {
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
