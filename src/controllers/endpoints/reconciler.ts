/**
 * The endpoints controller: every Service with a selector gets an Endpoints object of the same name and an
 * EndpointSlice per port group, holding its ready (and not-ready) pods; they change only when the pods behind them
 * do, and they go when their Service goes. A Service without a selector keeps the Endpoints its user writes. It
 * works service by service on a work queue (`keyedLoop.ts`): a pod's change touches the services of its namespace.
 */
import { createHash } from "node:crypto";
import type { EndpointSubset, ServiceSpec } from "../../api/service.js";
import type { ObjectMeta } from "../../api/objectMeta.js";
import type { Pod } from "../../api/pod.js";
import type { KindRef, ManifestOf, OutgoingCommand } from "../../nats/commandClient.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import { sameValue } from "../../actors/decisions.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
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
    // A slice's port always has a name, "" when the service's port has none, as Kubernetes' controller writes it
    // (kubectl's describe of a service reads it without a check).
    const ports = (s.ports ?? []).map((p) => ({ ...p, name: p.name ?? "" }));
    return { name: `${svc.metadata.name.slice(0, 56)}-${suffix}`, body: { addressType: "IPv4", endpoints, ports } };
  });
}

/** One controller per leadership term, working service by service (key `<namespace>/<name>`). */
export class EndpointsReconciler implements KeyedController {
  constructor(private readonly ctx: ControllerContext) {}

  /** A service's own change, a change of a pod in its namespace, or of the Endpoints/EndpointSlices it owns. */
  keysOf(change: ViewChange): string[] {
    if (change.resource === "services") return [`${change.namespace}/${change.name}`];
    if (change.resource === "pods") return this.ctx.view.list<Service>("services", change.namespace).filter((e) => hasSelector(e.object)).map((e) => `${e.namespace}/${e.name}`);
    const owner = change.resource === "endpoints" ? change.name : change.resource === "endpointslices" ? sliceOwner(change) : undefined;
    return owner ? [`${change.namespace}/${owner}`] : [];
  }

  /** Every service, and every service named by a managed object (so the orphans of a service gone are found). */
  allKeys(): string[] {
    const keys = new Set(this.ctx.view.list<Service>("services").map((e) => `${e.namespace}/${e.name}`));
    for (const resource of ["endpoints", "endpointslices"] as const) {
      for (const m of this.ctx.view.list<Managed>(resource)) {
        const owner = resource === "endpoints" ? m.name : m.object.metadata.labels?.[SERVICE_NAME];
        if (m.object.metadata.labels?.[MANAGED_BY] === MANAGER && owner) keys.add(`${m.namespace}/${owner}`);
      }
    }
    return [...keys];
  }

  /** Brings one service's Endpoints and EndpointSlices to its ready pods, or removes them when it has no selector or is gone. */
  async sync(key: string): Promise<void> {
    const [namespace, name] = key.split("/") as [string, string];
    const svc = this.ctx.view.get<Service>("services", namespace, name);
    const wanted = new Set<string>();
    const puts: Promise<void>[] = [];
    if (svc && hasSelector(svc.object)) {
      const pods = this.ctx.view.list<Pod>("pods", namespace).map((p) => p.object);
      const subsets = endpointSubsets(name, svc.object.spec, pods);
      wanted.add(`endpoints/${name}`);
      puts.push(this.put("endpoints", svc, name, { subsets }));
      for (const slice of slicesOf(svc.object, subsets)) {
        wanted.add(`endpointslices/${slice.name}`);
        puts.push(this.put("endpointslices", svc, slice.name, slice.body, { [SERVICE_NAME]: name }));
      }
    }
    const managed = (m: ViewEntry<Managed>) => m.object.metadata.labels?.[MANAGED_BY] === MANAGER;
    const endpoints = this.ctx.view.get<Managed>("endpoints", namespace, name);
    if (endpoints && managed(endpoints) && !wanted.has(`endpoints/${name}`)) puts.push(this.send({ resource: "endpoints", namespace, name }, { type: "DeleteEndpoints", data: {} }));
    for (const m of this.ctx.view.list<Managed>("endpointslices", namespace)) {
      if (managed(m) && m.object.metadata.labels?.[SERVICE_NAME] === name && !wanted.has(`endpointslices/${m.name}`)) {
        puts.push(this.send({ resource: "endpointslices", namespace, name: m.name }, { type: "DeleteEndpointSlice", data: {} }));
      }
    }
    await Promise.all(puts);
  }

  /** Every key at once (a whole pass, as a resync makes it). */
  async reconcile(): Promise<void> {
    await Promise.all(this.allKeys().map((k) => this.sync(k)));
  }

  private async put(resource: "endpoints" | "endpointslices", svc: ViewEntry<Service>, name: string, fields: Record<string, unknown>, labels: Record<string, string> = {}): Promise<void> {
    const current = this.ctx.view.get<Managed>(resource, svc.namespace, name)?.object;
    const { metadata: _m, kind: _k, ...currentFields } = (current ?? {}) as Record<string, unknown>;
    if (current && sameValue(currentFields, fields)) return;
    const metadata = { name, namespace: svc.namespace, labels: { ...current?.metadata.labels, ...labels, [MANAGED_BY]: MANAGER } };
    const ref = { namespace: svc.namespace, name };
    // `fields` is the kind's body as compute.ts builds it (subsets, or a slice's addressType, endpoints and ports).
    const data: Record<string, unknown> = { metadata, ...fields };
    await (resource === "endpoints"
      ? this.send({ ...ref, resource }, { type: current ? "UpdateEndpoints" : "CreateEndpoints", data: data as ManifestOf<"endpoints"> })
      : this.send({ ...ref, resource }, { type: current ? "UpdateEndpointSlice" : "CreateEndpointSlice", data: data as ManifestOf<"endpointslices"> }));
  }

  /** Sends one command; a refusal other than NotFound throws, so the service's key is retried after a backoff. */
  private async send<R extends "endpoints" | "endpointslices">(ref: KindRef<R>, command: OutgoingCommand<R>): Promise<void> {
    const reply = await this.ctx.sender.send(ref, command);
    if (!reply.ok && reply.status.reason !== "NotFound") throw new Error(`${command.type} ${ref.namespace}/${ref.name}: ${reply.status.reason}: ${reply.status.message}`);
  }
}

/** The service of a slice: its label, or for a slice gone from the view, its name less the suffix `slicesOf` adds. */
function sliceOwner(change: ViewChange): string | undefined {
  return (change.entry?.object as Managed | undefined)?.metadata.labels?.[SERVICE_NAME] ?? change.name.replace(/-[0-9a-f]{5}$/, "");
}

function hasSelector(svc: Service): boolean {
  return Object.keys(svc.spec.selector ?? {}).length > 0;
}
