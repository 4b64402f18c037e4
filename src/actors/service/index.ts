/** Service, Endpoints and EndpointSlice actors: plain objects (the endpoints controller writes the latter two). */
import { endpointSlice, endpoints, service } from "../../api/service.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import type { ActorKind } from "../registry.js";
import { admitService } from "./clusterIP.js";

/** The registrations of the three service kinds. */
export const serviceKinds = {
  services: {
    ...plainObjectKind(plainObjectDecider({ resource: "services", kind: "Service", clusterScoped: false }), service.codec),
    admitsOnFreshState: true,
    admit: (ctx, run) => admitService(ctx, run.command, run.current() as Parameters<typeof admitService>[2], run.execute),
  },
  endpoints: plainObjectKind(plainObjectDecider({ resource: "endpoints", kind: "Endpoints", clusterScoped: false }), endpoints.codec),
  endpointslices: plainObjectKind(plainObjectDecider({ resource: "endpointslices", kind: "EndpointSlice", clusterScoped: false }), endpointSlice.codec),
} satisfies Record<"services" | "endpoints" | "endpointslices", ActorKind>;
