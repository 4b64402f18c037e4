/**
 * What the service proxy serves, from the read model: one entry per TCP port of every service that has a cluster
 * IP (headless and ExternalName services have none), with the ready endpoints of that port from the service's
 * Endpoints object, in the order the endpoints controller keeps them. Pure.
 */
import type { EndpointSubset, ServiceSpec } from "../api/service.js";
import { readyBackends } from "../controllers/endpoints/compute.js";
import type { ProxiedPort } from "./serviceProxy.js";

/** A Service as the proxy reads it. */
export interface ProxyService {
  namespace: string;
  name: string;
  spec: ServiceSpec;
}

/** The desired listeners for `services`, given each one's Endpoints subsets (undefined: none yet). Pure. */
export function proxyTable(services: readonly ProxyService[], subsetsOf: (namespace: string, name: string) => readonly EndpointSubset[] | undefined): ProxiedPort[] {
  const table: ProxiedPort[] = [];
  for (const svc of services) {
    const { clusterIP, type, sessionAffinity, sessionAffinityConfig } = svc.spec;
    if (!clusterIP || clusterIP === "None" || type === "ExternalName") continue;
    const subsets = subsetsOf(svc.namespace, svc.name) ?? [];
    const timeout = sessionAffinityConfig?.clientIP?.timeoutSeconds;
    for (const port of svc.spec.ports ?? []) {
      if (port.protocol !== "TCP") continue;
      table.push({
        clusterIP, port: port.port, sessionAffinity,
        ...(sessionAffinity === "ClientIP" && timeout !== undefined ? { affinityTimeoutSeconds: timeout } : {}),
        backends: readyBackends(subsets, port),
      });
    }
  }
  return table;
}
