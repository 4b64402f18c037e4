/** Deployment actor (apps/v1): a workload object (generation, scale, the status its controller records). */
import { deployment, DeploymentStatus } from "../../api/apps.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The Deployment's registration. */
export const deploymentActorKind = plainObjectKind(plainObjectDecider({ resource: "deployments", kind: "Deployment", clusterScoped: false, workload: { status: DeploymentStatus } }), deployment.codec);
