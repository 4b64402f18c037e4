/**
 * The endpoints controller's round: every Service with a selector gets an Endpoints object of the same name and an
 * EndpointSlice per port group, holding its ready (and not-ready) pods; they change only when the pods behind them
 * do, and they go when their Service goes. A Service without a selector keeps the Endpoints its user writes.
 */
import { createHash } from "node:crypto";
import type { EndpointSubset, ServiceSpec } from "../../api/service.js";
import type { ObjectMeta } from "../../api/objectMeta.js";
import type { Pod } from "../../api/pod.js";
import type { Resource } from "../../api/kinds.js";
import type { ViewEntry } from "../../projections/clusterView.js";
import { sameValue } from "../../actors/decisions.js";
import type { ControllerContext } from "../context.js";
import { endpointSubsets } from "./compute.js";

/** The label on the Endpoints and EndpointSlices this controller manages. */
export const MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
const MANAGER = "endpointslice-controller.k8s.io";
const SERVICE_NAME = "kubernetes.io/service-name";

interface Service { metadata: ObjectMeta; spec: ServiceSpec }
interface Managed { metadata: ObjectMeta; subsets?: EndpointSubset[]; endpoints?: unknown[]; ports?: unknown[] }

/** The slices of one service: one per subset, named from the service's uid. Pure. */
export function slicesOf(svc: Service, subsets: readonly EndpointSubset[]): { name: string; body: Record<string, unknown> }[] {
  return subsets.map((s, i) => {
    const suffix = createHash("sha256").update(`${svc.metadata.uid}/${i}`).digest("hex").slice(0, 5);
    const endpoints = [
      ...(s.addresses ?? []).map((a) => ({ a, ready: true })), ...(s.notReadyAddresses ?? []).map((a) => ({ a, ready: false })),
    ].map(({ a, ready }) => ({
      addresses: [a.ip], conditions: { ready, serving: ready, terminating: false },
      ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}), ...(a.targetRef ? { targetRef: a.targetRef } : {}),
    }));
    return { name: `${svc.metadata.name.slice(0, 56)}-${suffix}`, body: { addressType: "IPv4", endpoints, ports: s.ports ?? [] } };
  });
}

/** One controller per leadership term. */
export class EndpointsReconciler {
  constructor(private readonly ctx: ControllerContext) {}

  /** One round over every namespace's services. */
  async reconcile(): Promise<void> {
    const services = this.ctx.view.list<Service>("services");
    const wanted = new Set<string>();
    // One read of a namespace's pods per round, however many services it has.
    const pods = new Map<string, Pod[]>();
    const podsIn = (ns: string) => pods.get(ns) ?? pods.set(ns, this.ctx.view.list<Pod>("pods", ns).map((p) => p.object)).get(ns) ?? [];
    for (const e of services) {
      if (!e.object.spec.selector || Object.keys(e.object.spec.selector).length === 0) continue;
      const subsets = endpointSubsets(e.name, e.object.spec, podsIn(e.namespace));
      wanted.add(`endpoints/${e.namespace}/${e.name}`);
      await this.put("endpoints", e, e.name, { subsets });
      for (const slice of slicesOf(e.object, subsets)) {
        wanted.add(`endpointslices/${e.namespace}/${slice.name}`);
        await this.put("endpointslices", e, slice.name, slice.body, { [SERVICE_NAME]: e.name });
      }
    }
    for (const resource of ["endpoints", "endpointslices"] as const) {
      for (const m of this.ctx.view.list<Managed>(resource)) {
        if (m.object.metadata.labels?.[MANAGED_BY] === MANAGER && !wanted.has(`${resource}/${m.namespace}/${m.name}`)) {
          await this.send(resource, m.namespace, m.name, resource === "endpoints" ? "DeleteEndpoints" : "DeleteEndpointSlice", {});
        }
      }
    }
  }

  private async put(resource: Resource, svc: ViewEntry<Service>, name: string, fields: Record<string, unknown>, labels: Record<string, string> = {}): Promise<void> {
    const current = this.ctx.view.get<Managed>(resource, svc.namespace, name)?.object;
    const { metadata: _m, kind: _k, ...currentFields } = (current ?? {}) as Record<string, unknown>;
    if (current && sameValue(currentFields, fields)) return;
    const kind = resource === "endpoints" ? "Endpoints" : "EndpointSlice";
    const metadata = { name, namespace: svc.namespace, labels: { ...current?.metadata.labels, ...labels, [MANAGED_BY]: MANAGER } };
    await this.send(resource, svc.namespace, name, `${current ? "Update" : "Create"}${kind}`, { metadata, ...fields });
  }

  private async send(resource: Resource, namespace: string, name: string, type: string, data: unknown): Promise<void> {
    const reply = await this.ctx.sender.send({ resource, namespace, name }, { type, data });
    if (!reply.ok && reply.status.reason !== "NotFound") this.ctx.logger.warn({ resource, name: `${namespace}/${name}`, status: reply.status }, `${type} failed`);
  }
}
