/** ReplicationController actor: desired replica count, pod template and the status the replication manager records. */
export {
  replicationControllerDecider, ScaleData, ReplicationStatusData,
  type ReplicationControllerState, type ReplicationControllerCommand, type ReplicationControllerEvent, type ReplicationControllerChange,
} from "./decider.js";
export { createReplicationControllerMachine } from "./machine.js";
