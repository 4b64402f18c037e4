/** Service, Endpoints and EndpointSlice actors: plain objects (the endpoints controller writes the latter two). */
import { endpointSlice, endpoints, service, type ServiceSpec } from "../../api/service.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { DEFAULT_SERVICE_CIDR } from "../../network/ranges.js";
import { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "../actorConfig.js";
import type { ActorKind } from "../registry.js";
import { bootstrapObject, type BootstrapObject } from "../bootstrap.js";
import { numberToIp, parseCidr } from "../../network/cidr.js";
import { admitService } from "./clusterIP.js";
import { keptOnUpdate } from "./nodePorts.js";
import { externalDefaults } from "../../api/serviceExternal.js";

/**
 * A Service as stored, with what the apiserver fills in: each port's `targetPort` defaults to its `port`, and the
 * address families and traffic policies get their defaults (externalDefaults). Pure.
 */
export function storedService(fields: Record<string, unknown>): Record<string, unknown> {
  const spec = externalDefaults(fields.spec as ServiceSpec);
  if (!spec.ports?.some((p) => p.targetPort === undefined)) return { ...fields, spec };
  return { ...fields, spec: { ...spec, ports: spec.ports.map((p) => ({ ...p, targetPort: p.targetPort ?? p.port })) } };
}

/**
 * The Service `default/kubernetes` (https, port 443), as kube-apiserver keeps it, on the first address of the service
 * range (as Kubernetes reserves it); the API processes keep its Endpoints (src/gateway/apiEndpoints.ts). Optional: a
 * cluster whose service holds that address already (made before this service existed) goes without it.
 */
function kubernetesService(serviceCidr: string): BootstrapObject {
  const data = {
    metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: { type: "ClusterIP", clusterIP: numberToIp(parseCidr(serviceCidr).base + 1), ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 443 }], sessionAffinity: "None" },
  };
  return bootstrapObject("services", data, true);
}

/**
 * The registrations of the three service kinds; a Service's clusterIP comes from `config.serviceCidr` (default
 * 127.96.0.0/12), and `default/kubernetes` exists from the start.
 */
export function createServiceKinds(config: ActorConfig = DEFAULT_ACTOR_CONFIG) {
  const serviceCidr = config.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  return {
    services: {
      ...plainObjectKind(plainObjectDecider({ resource: "services", kind: "Service", clusterScoped: false, stored: storedService }), service.codec),
      admitsOnFreshState: true,
      admit: (ctx, run) => admitService({ claims: ctx.claims, serviceCidr }, run.command, run.current() as Parameters<typeof admitService>[2], run.execute),
      keptOnUpdate: (data, current) => ({ ...data, spec: keptOnUpdate(data.spec as ServiceSpec, current.spec as ServiceSpec) }),
      bootstrap: [kubernetesService(serviceCidr)],
    },
    endpoints: plainObjectKind(plainObjectDecider({ resource: "endpoints", kind: "Endpoints", clusterScoped: false }), endpoints.codec),
    endpointslices: plainObjectKind(plainObjectDecider({ resource: "endpointslices", kind: "EndpointSlice", clusterScoped: false }), endpointSlice.codec),
  } satisfies Record<"services" | "endpoints" | "endpointslices", ActorKind>;
}
