/**
 * The proxy subresources' paths: `/api/v1/namespaces/{ns}/pods/{[scheme:]name[:port]}/proxy[/path]` and the same
 * under `services/` (`kubectl proxy` and `kubectl get --raw` reach a pod's or a Service's HTTP port through them).
 * The object segment is Kubernetes' `[scheme:]name[:port]`; the path after `proxy` is passed on as sent. Pure.
 */
import { StatusError } from "../api/status.js";
import type { ResourceRoute } from "./routes.js";

/** Where a proxied request goes: the scheme (`http` unless named) and the port, by number or name ("" when none). */
export interface ProxyTarget {
  scheme: "http" | "https";
  port: string;
}

/** A proxy request's route (subresource `proxy`), its target, the path to ask the pod for (`/` at least), and the proxy path itself. */
export interface ProxyRequest {
  route: ResourceRoute & { name: string };
  target: ProxyTarget;
  path: string;
  /** `/api/v1/namespaces/{ns}/{resource}/{segment}/proxy`, as sent: where the pod's own paths are under. */
  base: string;
}

const PROXY_PATH = /^(\/api\/v1\/namespaces\/([^/]+)\/(pods|services)\/([^/]+)\/proxy)(\/.*)?$/;

/** Splits `[scheme:]name[:port]` as Kubernetes does (net.SplitSchemeNamePort); throws BadRequest for another shape. Pure. */
export function splitSchemeNamePort(segment: string): { scheme: "http" | "https"; name: string; port: string } {
  const parts = segment.split(":");
  const [a = "", b = "", c = ""] = parts;
  const [scheme, name, port] = parts.length === 3 ? [a, b, c] : parts.length === 2 ? ["", a, b] : parts.length === 1 ? ["", a, ""] : ["?", "", ""];
  if (name === "" || (scheme !== "" && scheme !== "http" && scheme !== "https")) {
    throw new StatusError("BadRequest", `invalid proxy target "${segment}": expected [scheme:]name[:port], scheme http or https`);
  }
  return { scheme: scheme === "https" ? "https" : "http", name, port };
}

/** The proxy request of a path, or null when the path is no proxy path. Pure. */
export function proxyRequestOf(pathname: string, search: string): ProxyRequest | null {
  const m = PROXY_PATH.exec(pathname);
  if (!m) return null;
  const [, base = "", ns = "", resource = "", segment = "", rest] = m;
  const { scheme, name, port } = splitSchemeNamePort(decodeURIComponent(segment));
  return {
    route: { type: "resource", version: "v1", resource: resource as "pods" | "services", namespace: decodeURIComponent(ns), name, subresource: "proxy", namespaceInPath: true },
    target: { scheme, port },
    path: `${rest ?? "/"}${search}`,
    base,
  };
}
