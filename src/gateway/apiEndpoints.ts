/**
 * The Endpoints of the Service `default/kubernetes` (made by the first actor host, src/actors/index.ts): the address
 * this API serves HTTPS on, as kube-apiserver records its own, so that a pod reaches the API at
 * `https://kubernetes.default.svc` through the cluster DNS and the service proxy. Written when the API starts, tried
 * again every second until it is taken (the namespace comes with the first actor host, which may start later), and
 * left as it is when it already names this address. With several API processes the last one started is recorded
 * (kube-apiserver's lease-based reconciler, which keeps every live one, is not modelled).
 */
import type { ReadModel } from "../projections/readModel.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { Logger } from "../log.js";

const REF = { resource: "endpoints" as const, namespace: "default", name: "kubernetes" };
const RETRY_MS = 1_000;

/** The Endpoints subsets naming the API at `url` (an unspecified listen address is named as loopback). Pure. */
export function apiSubsets(url: string): { addresses: { ip: string }[]; ports: { name: string; port: number; protocol: "TCP" }[] }[] {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, "");
  const ip = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return [{ addresses: [{ ip }], ports: [{ name: "https", port: Number(port || (protocol === "https:" ? 443 : 80)), protocol: "TCP" }] }];
}

/** Keeps `default/kubernetes`'s Endpoints naming the API at `url`; `stop` ends the tries. */
export function keepApiEndpoints(sender: CommandSender, model: ReadModel, url: string, log: Logger): { stop(): void } {
  const subsets = apiSubsets(url);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async (): Promise<void> => {
    const current = model.get(REF.resource, REF.namespace, REF.name)?.object as { subsets?: unknown } | undefined;
    if (current && JSON.stringify(current.subsets) === JSON.stringify(subsets)) return;
    const data = { metadata: { name: REF.name, namespace: REF.namespace, labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } }, subsets };
    let reply = await sender.send(REF, { type: "CreateEndpoints", data });
    if (!reply.ok && reply.status.reason === "AlreadyExists") reply = await sender.send(REF, { type: "UpdateEndpoints", data });
    if (!reply.ok) throw new Error(reply.status.message);
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
