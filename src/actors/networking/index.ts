/**
 * networking.k8s.io/v1 actors: Ingress, IngressClass and NetworkPolicy, plain objects (stored and served; nothing
 * here acts on them, as in a cluster without an ingress controller or a policy-enforcing network plugin).
 */
import { ingress, ingressClass, networkPolicy } from "../../api/networking.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The registrations of the three networking kinds. */
export const networkingKinds = {
  ingresses: plainObjectKind(plainObjectDecider({ resource: "ingresses", kind: "Ingress", clusterScoped: false }), ingress.codec),
  ingressclasses: plainObjectKind(plainObjectDecider({ resource: "ingressclasses", kind: "IngressClass", clusterScoped: true }), ingressClass.codec),
  networkpolicies: plainObjectKind(plainObjectDecider({ resource: "networkpolicies", kind: "NetworkPolicy", clusterScoped: false }), networkPolicy.codec),
};
