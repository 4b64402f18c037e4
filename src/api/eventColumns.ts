/** The table columns of events, as kubectl shows them: LAST SEEN TYPE REASON OBJECT MESSAGE (+ source, counts with -o wide). Pure. */
import { ageOf, column } from "./column.js";
import type { Event } from "./event.js";

/** The event columns. */
export const eventColumns = [
  column<Event>("Last Seen", "string", 0, "The last time the event was seen.", (e, now) => ageOf(e.lastTimestamp, now)),
  column<Event>("Type", "string", 0, "The type of the event (Normal or Warning).", (e) => e.type),
  column<Event>("Reason", "string", 0, "Why the event happened, in one word.", (e) => e.reason),
  column<Event>("Object", "string", 0, "The object the event is about.", (e) => `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`),
  column<Event>("Subobject", "string", 1, "The part of the object the event is about.", (e) => e.involvedObject.fieldPath ?? ""),
  column<Event>("Source", "string", 1, "The component that reported the event.", (e) => [e.source.component, e.source.host].filter(Boolean).join(", ")),
  column<Event>("Message", "string", 0, "A human-readable description of the event.", (e) => e.message),
  column<Event>("First Seen", "string", 1, "The first time the event was seen.", (e, now) => ageOf(e.firstTimestamp, now)),
  column<Event>("Count", "integer", 1, "How many times the event happened.", (e) => e.count),
  column<Event>("Name", "string", 1, "The name of the event.", (e) => e.metadata.name, "name"),
];
