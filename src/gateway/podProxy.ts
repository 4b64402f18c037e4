/**
 * The `pods/proxy` and `services/proxy` subresources: an HTTP request to `…/pods/{name[:port]}/proxy/{path}` is made
 * again to that port of the pod, through its node as a port-forward connection is (nodeStream.ts), and the answer
 * comes back as it is; a Service's request goes to one of its ready endpoints, at the port its Endpoints give the
 * Service's port. The pod's port is a number or a container port's name, else the pod's first declared port, else
 * 80; the Service's is a port's name or number, else its only (or unnamed) port. `https:` makes the request over TLS
 * (the pod's certificate is not checked, as the apiserver's proxy does not). A redirect to a path of the pod's keeps
 * the client under the proxy path. Failing to reach the port is 503, as the apiserver answers it.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { duplexPair } from "node:stream";
import { pipeline } from "node:stream/promises";
import { connect as tlsConnect } from "node:tls";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Pod } from "../api/pod.js";
import type { EndpointSubset } from "../api/service.js";
import { StatusError } from "../api/status.js";
import type { ReadService } from "../projections/readService.js";
import { streamNode } from "./execRequest.js";
import { bridgeToPort } from "./nodeStream.js";
import type { ProxyRequest } from "./proxyRoute.js";
import { podOf } from "./reads.js";

/** Serves one proxy request: writes the whole response (or throws a Status error before writing any). */
export type SubresourceProxy = (proxied: ProxyRequest, req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Where a request is made: the pod, its node, its address and the port. */
interface PortTarget {
  pod: Pod;
  node: string;
  address: string;
  port: number;
}

/** Headers that belong to one hop (RFC 9110), and the caller's credentials, which the pod does not get. */
const NOT_PASSED = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "authorization"]);

/** `headers` without the hop's own and the caller's credentials. Pure. */
function passedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !NOT_PASSED.has(k) && !k.startsWith("impersonate-")));
}

/** The port of `pod` a proxy target names: a number, a container port's name, else its first declared port, else 80. Pure. */
export function podPort(pod: Pod, port: string): number {
  const declared = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].flatMap((c) => c.ports ?? []);
  if (port === "") return declared[0]?.containerPort ?? 80;
  if (/^\d+$/.test(port)) return Number(port);
  const named = declared.find((p) => p.name === port);
  if (!named) throw new StatusError("BadRequest", `no port named "${port}" in pod ${pod.metadata.name}`);
  return named.containerPort;
}

type ServicePort = { name?: string | undefined; port: number };

/** The Service's port a proxy target names: by name or number, else its only (or unnamed) one. Pure. */
export function servicePort(service: string, ports: readonly ServicePort[], port: string): ServicePort {
  const found = port === "" ? (ports.length === 1 ? ports[0] : ports.find((p) => !p.name)) : ports.find((p) => p.name === port || String(p.port) === port);
  if (!found) throw new StatusError("Unavailable", `no service port "${port}" found for service "${service}"`);
  return found;
}

/** The ready endpoints of `subsets` for the Service port named `portName` (""/undefined: unnamed): address, pod and port. Pure. */
export function readyEndpoints(subsets: readonly EndpointSubset[], portName: string | undefined): { ip: string; pod: string; port: number }[] {
  return subsets.flatMap((s) => {
    const port = (s.ports ?? []).find((p) => (p.name ?? "") === (portName ?? ""));
    if (!port) return [];
    return (s.addresses ?? []).flatMap((a) => (a.targetRef?.name ? [{ ip: a.ip, pod: a.targetRef.name, port: port.port }] : []));
  });
}

/** The running pod at `route` and the port `target` names. */
async function podTarget(service: ReadService, proxied: ProxyRequest): Promise<PortTarget> {
  const pod = await podOf(service, proxied.route);
  return reachable(pod, podPort(pod, proxied.target.port));
}

/** `pod` at `port`, when it runs with an address. */
function reachable(pod: Pod, port: number): PortTarget {
  const address = pod.status?.podIP;
  if (pod.status?.phase !== "Running" || !address) {
    throw new StatusError("Unavailable", `pod ${pod.metadata.name} is not running (${pod.status?.phase ?? "Pending"}): no port to proxy to`);
  }
  return { pod, node: streamNode(pod), address, port };
}

/** One ready endpoint of the Service at `route`, at the port its Endpoints give the Service's port `target` names. */
async function serviceTarget(service: ReadService, proxied: ProxyRequest): Promise<PortTarget> {
  const { namespace, name } = proxied.route;
  const svc = (await service.get({ resource: "services", namespace }, { name })) as { spec?: { ports?: ServicePort[] } };
  const port = servicePort(name, svc.spec?.ports ?? [], proxied.target.port);
  const endpoints = service.runner.model.get("endpoints", namespace, name)?.object as { subsets?: EndpointSubset[] } | undefined;
  const ready = readyEndpoints(endpoints?.subsets ?? [], port.name);
  const chosen = ready[Math.floor(Math.random() * ready.length)];
  if (!chosen) throw new StatusError("Unavailable", `no endpoints available for service "${name}"`);
  const pod = (await service.get({ resource: "pods", namespace }, { name: chosen.pod })) as unknown as Pod;
  return reachable(pod, chosen.port);
}

/** A `Location` of the pod's own (a path, or a URL of `host`, the pod's address) kept under the proxy path `base`; any other as it is. Pure. */
export function proxiedLocation(location: string, base: string, host: string): string {
  const own = /^https?:\/\/([^/?#]+)(.*)$/.exec(location);
  if (own && own[1] === host) return `${base}${own[2]?.startsWith("/") ? own[2] : `/${own[2] ?? ""}`}`;
  return location.startsWith("/") && !location.startsWith("//") ? `${base}${location}` : location;
}

/** Makes the client's request again to `to` through its node and streams the answer back. */
async function forward(nc: NatsConnection, prefix: string, to: PortTarget, proxied: ProxyRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [mine, theirs] = duplexPair();
  let nodeError = "";
  const ask = { kind: "portforward" as const, namespace: to.pod.metadata.namespace ?? proxied.route.namespace, pod: to.pod.metadata.name, uid: to.pod.metadata.uid ?? "", address: to.address, port: to.port };
  const unreachable = (why: string) => new StatusError("Unavailable", `error trying to reach service: ${why}`);
  await bridgeToPort(nc, prefix, to.node, ask, theirs, (bytes) => (nodeError += Buffer.from(bytes).toString()), () => theirs.end())
    .catch((err: unknown) => { throw unreachable((err as Error).message); });
  const options = { method: req.method ?? "GET", path: proxied.path, headers: { ...passedHeaders(req.headers), host: `${to.address}:${to.port}` } };
  const out = proxied.target.scheme === "https"
    ? httpsRequest({ ...options, createConnection: () => tlsConnect({ socket: mine, rejectUnauthorized: false }) })
    : httpRequest({ ...options, createConnection: () => mine });
  // A client that goes before the answer is over ends the request to the pod and the node's session with it.
  res.on("close", () => {
    if (res.writableFinished) return;
    out.destroy();
    theirs.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    out.on("response", (answer) => {
      const headers = passedHeaders(answer.headers);
      if (typeof headers.location === "string") headers.location = proxiedLocation(headers.location, proxied.base, `${to.address}:${to.port}`);
      res.writeHead(answer.statusCode ?? 502, headers);
      pipeline(answer, res).then(resolve, () => resolve(void theirs.destroy()));
    });
    out.on("error", (err) => {
      // Once the pod answered, the answer's pipeline finishes it: a pod that answers before it read the request's
      // body and closes (a reset of the body's last write) still has its whole answer sent.
      if (res.headersSent) return;
      mine.destroy();
      theirs.destroy();
      reject(unreachable(nodeError.trim() || err.message));
    });
    req.pipe(out);
  });
}

/** The proxy subresources of a gateway whose API process reaches the node agents on `nc`, by `<resource>/proxy`. */
export function podProxies(nc: NatsConnection, prefix: string, service: ReadService): Record<string, SubresourceProxy> {
  return {
    "pods/proxy": async (proxied, req, res) => forward(nc, prefix, await podTarget(service, proxied), proxied, req, res),
    "services/proxy": async (proxied, req, res) => forward(nc, prefix, await serviceTarget(service, proxied), proxied, req, res),
  };
}
