/**
 * Deployment actor (apps/v1): a workload object (generation, scale, the status its controller records);
 * its selector never changes.
 */
import { deployment, DeploymentStatus } from "../../api/apps.js";
import { requireSpecUnchanged } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The Deployment's registration. */
export const deploymentActorKind = plainObjectKind(plainObjectDecider({
  resource: "deployments", kind: "Deployment", clusterScoped: false, workload: { status: DeploymentStatus },
  // apps/v1: the selector never changes after creation.
  check: (fields, current, name) => requireSpecUnchanged("deployments", name, fields.spec as Record<string, unknown>, current as { spec: Record<string, unknown> } | null, ["selector"]),
}), deployment.codec);
