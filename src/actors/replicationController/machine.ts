/** The ReplicationController actor's machine: the generic entity machine; replication controllers have no timers. */
import { createEntityMachine } from "../entityMachine.js";
import { replicationControllerDecider, type ReplicationControllerState } from "./decider.js";

/** Builds the replication controller machine (a `now` clock may be given by tests). */
export function createReplicationControllerMachine(now?: () => number) {
  return createEntityMachine<ReplicationControllerState>(replicationControllerDecider, now);
}
