/** ReplicationController actor: desired replica count, pod template and the status the replication manager records. */
import { replicationControllerLifecycle } from "./machine.js";
import { replicationControllerCodec } from "../../api/replicationController.js";
import type { ActorKind } from "../registry.js";
import { replicationControllerDecider } from "./decider.js";
export {
  replicationControllerDecider, ScaleData, ReplicationStatusData,
  type ReplicationControllerState, type ReplicationControllerCommand, type ReplicationControllerEvent, type ReplicationControllerChange,
} from "./decider.js";
export { createReplicationControllerMachine, replicationControllerLifecycle } from "./machine.js";

/** The ReplicationController's registration. */
export const replicationControllerKind = {
  decider: replicationControllerDecider, codec: replicationControllerCodec, lifecycle: replicationControllerLifecycle,
} satisfies ActorKind;
