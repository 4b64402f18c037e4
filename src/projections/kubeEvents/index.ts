/** Core v1 Events derived from the event stream (and those clients write): the mappings from domain events, the fold, the read kind. */
export { KubeEventFold, aggregationHash, eventName, type EventLimits } from "./fold.js";
export { eventsOf } from "./derive.js";
export { EVENTS_KIND, EVENT_SELECTABLE_FIELDS } from "./kind.js";
export { COMPONENTS, type EventDraft } from "./facts.js";
