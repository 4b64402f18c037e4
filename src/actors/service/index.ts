/** Service, Endpoints and EndpointSlice actors: plain objects (the endpoints controller writes the latter two). */
import { endpointSlice, endpoints, service } from "../../api/service.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import type { ActorKind } from "../registry.js";
import { admitService } from "./clusterIP.js";

/** The registrations of the three service kinds. */
export const serviceKinds: Record<"services" | "endpoints" | "endpointslices", ActorKind> = {
  services: {
    decider: plainObjectDecider({ resource: "services", kind: "Service", clusterScoped: false }), codec: service.codec,
    admit: (ctx, run) => admitService(ctx, run.command, run.current() as Parameters<typeof admitService>[2], run.execute),
  },
  endpoints: { decider: plainObjectDecider({ resource: "endpoints", kind: "Endpoints", clusterScoped: false }), codec: endpoints.codec },
  endpointslices: { decider: plainObjectDecider({ resource: "endpointslices", kind: "EndpointSlice", clusterScoped: false }), codec: endpointSlice.codec },
};
