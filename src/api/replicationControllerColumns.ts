/** The table columns of replication controllers: NAME DESIRED CURRENT READY AGE (+ CONTAINERS IMAGES SELECTOR). Pure. */
import { ageColumn, column, labelString, nameColumn } from "./column.js";
import type { ReplicationController } from "./replicationController.js";

type RC = ReplicationController;
const containers = (rc: RC) => rc.spec.template?.spec.containers ?? [];

/** The replication controller columns. */
export const replicationControllerColumns = [
  nameColumn(),
  column<RC>("Desired", "integer", 0, "Number of desired pods.", (rc) => rc.spec.replicas),
  column<RC>("Current", "integer", 0, "Number of actual pods.", (rc) => rc.status.replicas),
  column<RC>("Ready", "integer", 0, "Number of ready pods.", (rc) => rc.status.readyReplicas ?? 0),
  ageColumn(),
  column<RC>("Containers", "string", 1, "Names of each container in the template.", (rc) => containers(rc).map((c) => c.name).join(",")),
  column<RC>("Images", "string", 1, "Images referenced by each container in the template.", (rc) => containers(rc).map((c) => c.image).join(",")),
  column<RC>("Selector", "string", 1, "Label selector of the pods this controller manages.", (rc) => labelString(rc.spec.selector)),
];
