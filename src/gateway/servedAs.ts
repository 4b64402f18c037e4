/**
 * Bodies of a path that named an older group version of a kind (`/apis/autoscaling/v1/…`, see
 * src/api/servedVersions.ts): a request's object converted to the kind's own version before anything reads it, and
 * what is answered (an object, a list's items, a watch event's object) converted back. Tables and Statuses are the
 * same in every version. Pure.
 */
import { RESOURCE_INFO } from "../api/kinds.js";
import { SERVED_VERSIONS } from "../api/servedVersions.js";
import type { ResourceRoute } from "./routes.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A request body of `route` as the kind's own version has it. */
export function fromServed(route: ResourceRoute, body: unknown): unknown {
  const served = route.servedAs === undefined ? undefined : SERVED_VERSIONS[route.servedAs];
  return served && isObject(body) && body.kind === RESOURCE_INFO[route.resource].kind ? served.fromServed(body) : body;
}

/** An answer of `route` (an object, a list of them, anything else as it is) in the version the path named. */
export function asServed(route: ResourceRoute, body: unknown): unknown {
  const served = route.servedAs === undefined ? undefined : SERVED_VERSIONS[route.servedAs];
  if (!served || !isObject(body)) return body;
  const kind = RESOURCE_INFO[route.resource].kind;
  if (body.kind === kind) return served.toServed(body);
  if (body.kind === `${kind}List` && Array.isArray(body.items)) {
    return { ...body, apiVersion: route.servedAs, items: body.items.map((i: unknown) => (isObject(i) ? served.toServed(i) : i)) };
  }
  return body;
}
