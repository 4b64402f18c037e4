/** Deployment actor (apps/v1): a workload object (generation, scale, the status its controller records). */
import { deployment, DeploymentStatus } from "../../api/apps.js";
import { plainObjectDecider } from "../plainObject/decider.js";

/** The Deployment's registration. */
export const deploymentActorKind = { decider: plainObjectDecider({ resource: "deployments", kind: "Deployment", clusterScoped: false, workload: { status: DeploymentStatus } }), codec: deployment.codec };
