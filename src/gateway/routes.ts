/**
 * The gateway's URL space: discovery and OpenAPI paths, and resource paths in Kubernetes' layout
 * (`/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}`, `/apis/{group}/{version}/…`, the cluster-scoped and
 * all-namespaces forms), plus the 2014 `/api/v1beta1/…` paths (`minions`, `?namespace=`). Pure.
 */
import { isApiVersion, type ApiVersion } from "../api/codec.js";
import { servedVersionOf } from "../api/servedVersions.js";
import { apiVersionOf, CLUSTER_NS, isResource, RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { ALL_NAMESPACES } from "../projections/readService.js";


/** A request for a resource: a collection, an object, or an object's subresource. */
export interface ResourceRoute {
  type: "resource";
  /** The object shape to speak: `v1` (the Kubernetes shape) or the 2014 `v1beta1`. */
  version: ApiVersion;
  resource: Resource;
  /** The namespace token: a namespace, `_` for cluster-scoped kinds, or `_all`. */
  namespace: string;
  name?: string;
  subresource?: string;
  /** True when the path named the namespace (`/namespaces/{ns}/…`), so a body must agree with it. */
  namespaceInPath: boolean;
  /** An older group version of the kind the path named (`autoscaling/v1`): bodies are converted to and from it. */
  servedAs?: string;
}

/** Every route of the gateway. */
export type Route =
  | { type: "version" }
  | { type: "apiVersions" }
  | { type: "groupList" }
  | { type: "resourceList"; groupVersion: string }
  | { type: "openapiV2" }
  | { type: "openapiV3" }
  | { type: "openapiV3Doc"; groupVersion: string }
  | ResourceRoute;

/** The route of a path, or null when it names nothing the gateway serves. Pure. */
export function parseRoute(pathname: string, query: URLSearchParams): Route | null {
  const parts = pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const [head, ...rest] = parts;
  if (head === "version" && rest.length === 0) return { type: "version" };
  if (head === "openapi") return openapiRoute(rest);
  if (head === "api") {
    if (rest.length === 0) return { type: "apiVersions" };
    const [version, ...tail] = rest;
    if (!isApiVersion(version)) return null;
    if (tail.length === 0) return version === "v1" ? { type: "resourceList", groupVersion: "v1" } : null;
    return resourceRoute(version, "v1", tail, query);
  }
  if (head === "apis") {
    if (rest.length === 0) return { type: "groupList" };
    const [group, version, ...tail] = rest;
    if (group === undefined || version === undefined) return null;
    const groupVersion = `${group}/${version}`;
    return tail.length === 0 ? { type: "resourceList", groupVersion } : resourceRoute("v1", groupVersion, tail, query);
  }
  return null;
}

function openapiRoute(rest: string[]): Route | null {
  if (rest.length === 1 && rest[0] === "v2") return { type: "openapiV2" };
  if (rest[0] !== "v3") return null;
  if (rest.length === 1) return { type: "openapiV3" };
  if (rest[1] === "api" && rest.length === 3) return { type: "openapiV3Doc", groupVersion: rest[2] ?? "" };
  if (rest[1] === "apis" && rest.length === 4) return { type: "openapiV3Doc", groupVersion: `${rest[2]}/${rest[3]}` };
  return null;
}

function resourceIn(groupVersion: string, name: string | undefined, version: ApiVersion): Resource | undefined {
  const n = version === "v1beta1" && name === "minions" ? "nodes" : name;
  if (servedVersionOf(groupVersion, n)) return n as Resource;
  return n !== undefined && isResource(n) && apiVersionOf(RESOURCE_INFO[n]) === groupVersion ? n : undefined;
}

function resourceRoute(version: ApiVersion, groupVersion: string, tail: string[], query: URLSearchParams): ResourceRoute | null {
  if (tail[0] === "namespaces" && tail.length >= 3) {
    const resource = resourceIn(groupVersion, tail[2], version);
    if (resource && !RESOURCE_INFO[resource].clusterScoped) {
      if (tail.length > 5) return null;
      return withName({ type: "resource", version, resource, namespace: tail[1] ?? "", namespaceInPath: true }, tail[3], tail[4], groupVersion);
    }
    if (groupVersion !== "v1" || tail.length > 3) return null;
    // `/namespaces/{name}/{subresource}`: a subresource of a namespace itself.
    return withName({ type: "resource", version, resource: "namespaces", namespace: CLUSTER_NS, namespaceInPath: false }, tail[1], tail[2]);
  }
  const resource = resourceIn(groupVersion, tail[0], version);
  if (!resource || tail.length > 3) return null;
  const clusterScoped = RESOURCE_INFO[resource].clusterScoped;
  const fromQuery = query.get("namespace");
  const namespace = clusterScoped ? CLUSTER_NS : fromQuery ?? (tail[1] !== undefined ? "default" : ALL_NAMESPACES);
  return withName({ type: "resource", version, resource, namespace, namespaceInPath: false }, tail[1], tail[2], groupVersion);
}

function withName(route: ResourceRoute, name: string | undefined, subresource: string | undefined, groupVersion?: string): ResourceRoute {
  const servedAs = groupVersion !== undefined && servedVersionOf(groupVersion, route.resource) ? { servedAs: groupVersion } : {};
  return { ...route, ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}), ...servedAs };
}

