/**
 * The other group versions some kinds are also served at, beside the one the registry gives them, each with the
 * conversions between its shape and the kind's own: `autoscaling/v1` HorizontalPodAutoscalers (what `kubectl
 * autoscale` and older manifests send), `events.k8s.io/v1` Events (what client-go's newer recorder writes).
 * Discovery lists them; the HTTP gateway converts request bodies to the kind's own version and what it answers back
 * to the version asked for. Stored objects are always of the kind's own. Pure.
 */
import type { Resource } from "./kinds.js";
import { hpaFromV1, hpaToV1 } from "./horizontalPodAutoscalerV1.js";
import { eventFromV1, eventToV1 } from "./eventsV1.js";

/** One other version of a kind. */
export interface ServedVersion {
  resource: Resource;
  /** A body of this version as the kind's own version has it. */
  fromServed(o: Record<string, unknown>): Record<string, unknown>;
  /** An object of the kind's own version as this version shows it. */
  toServed(o: Record<string, unknown>): Record<string, unknown>;
}

/** The other versions, by group version. */
export const SERVED_VERSIONS: Readonly<Record<string, ServedVersion>> = {
  "autoscaling/v1": { resource: "horizontalpodautoscalers", fromServed: hpaFromV1, toServed: hpaToV1 },
  "events.k8s.io/v1": { resource: "events", fromServed: eventFromV1, toServed: eventToV1 },
};

/** The other group version `groupVersion` of `resource`, if it is one. Pure. */
export function servedVersionOf(groupVersion: string, resource: string | undefined): ServedVersion | undefined {
  const served = SERVED_VERSIONS[groupVersion];
  return served && served.resource === resource ? served : undefined;
}
