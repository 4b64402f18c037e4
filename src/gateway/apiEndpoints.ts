/**
 * The Endpoints and the EndpointSlice of the Service `default/kubernetes` (made by the first actor host,
 * src/actors/index.ts): the address this API serves HTTPS on, as kube-apiserver records its own (clients that follow
 * EndpointSlices, as most do now, find it there), so that a pod reaches the API at `https://kubernetes.default.svc`
 * through the cluster DNS and the service proxy. Written when the API starts, tried again every second until taken
 * (the namespace comes with the first actor host, which may start later), and left as they are when they already name
 * this address. With several API processes the last one started is recorded (kube-apiserver's lease-based reconciler,
 * which keeps every live one, is not modelled).
 */
import type { ReadModel } from "../projections/readModel.js";
import { untypedCommand, type CommandSender } from "../nats/commandClient.js";
import type { Logger } from "../log.js";
import { sameValue } from "../actors/decisions.js";
import type { EntityRef } from "../api/kinds.js";

const NAME = "kubernetes";
const NAMESPACE = "default";
const RETRY_MS = 1_000;

/** The API's address and port at `url` (an unspecified listen address named as loopback). Pure. */
function apiAddress(url: string): { ip: string; port: number } {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, "");
  const ip = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return { ip, port: Number(port || (protocol === "https:" ? 443 : 80)) };
}

/** The Endpoints subsets naming the API at `url`. Pure. */
export function apiSubsets(url: string): { addresses: { ip: string }[]; ports: { name: string; port: number; protocol: "TCP" }[] }[] {
  const { ip, port } = apiAddress(url);
  return [{ addresses: [{ ip }], ports: [{ name: "https", port, protocol: "TCP" }] }];
}

/** The EndpointSlice's fields naming the API at `url`, as kube-apiserver writes its own. Pure. */
export function apiSlice(url: string): Record<string, unknown> {
  const { ip, port } = apiAddress(url);
  return { addressType: ip.includes(":") ? "IPv6" : "IPv4", endpoints: [{ addresses: [ip], conditions: { ready: true } }], ports: [{ name: "https", port, protocol: "TCP" }] };
}

/** One object the API keeps: its resource, its fields, and its kind's create and update commands. */
interface Kept {
  resource: "endpoints" | "endpointslices";
  labels: Record<string, string>;
  fields: Record<string, unknown>;
  create: "CreateEndpoints" | "CreateEndpointSlice";
  update: "UpdateEndpoints" | "UpdateEndpointSlice";
}

/** Keeps `default/kubernetes`'s Endpoints and EndpointSlice naming the API at `url`; `stop` ends the tries. */
export function keepApiEndpoints(sender: CommandSender, model: ReadModel, url: string, log: Logger): { stop(): void } {
  const kept: Kept[] = [
    // The apiserver's own Endpoints are not mirrored into a slice: it writes its slice itself.
    { resource: "endpoints", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" }, fields: { subsets: apiSubsets(url) }, create: "CreateEndpoints", update: "UpdateEndpoints" },
    { resource: "endpointslices", labels: { "kubernetes.io/service-name": NAME }, fields: apiSlice(url), create: "CreateEndpointSlice", update: "UpdateEndpointSlice" },
  ];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const keep = async (k: Kept): Promise<void> => {
    const ref: EntityRef = { resource: k.resource, namespace: NAMESPACE, name: NAME };
    const current = model.get(ref.resource, ref.namespace, ref.name)?.object;
    if (current && Object.entries(k.fields).every(([f, v]) => sameValue(current[f], v))) return;
    const data = { metadata: { name: NAME, namespace: NAMESPACE, labels: k.labels }, ...k.fields };
    let reply = await sender.send(ref, untypedCommand({ type: k.create, data }));
    if (!reply.ok && reply.status.reason === "AlreadyExists") reply = await sender.send(ref, untypedCommand({ type: k.update, data }));
    if (!reply.ok) throw new Error(reply.status.message);
  };
  const attempt = async (): Promise<void> => {
    for (const k of kept) await keep(k);
  };
  const tryNow = () => {
    void attempt().catch((err: unknown) => {
      log.debug({ err: String(err) }, "the kubernetes service's endpoints are not written yet; trying again");
      if (!stopped) timer = setTimeout(tryNow, RETRY_MS);
    });
  };
  tryNow();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
