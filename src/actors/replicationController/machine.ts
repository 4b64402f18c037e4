/**
 * The ReplicationController's lifecycle: Progressing (the replication manager has not yet observed its current
 * generation with as many replicas as it asks for) ⇄ Settled (it has) → Absent (deleted). It has no timers.
 */
import { createLifecycleMachine, type Lifecycle } from "../lifecycle.js";
import {
  replicationControllerDecider, type ReplicationControllerCommand, type ReplicationControllerEvent, type ReplicationControllerState,
} from "./decider.js";

/** The replication controller's lifecycle states. */
export type ReplicationControllerLifecycleState = "Absent" | "Progressing" | "Settled";

/** Where a replication controller's decider state stands. Pure. */
export function replicationControllerPhaseOf(state: ReplicationControllerState): ReplicationControllerLifecycleState {
  const rc = state.object;
  if (!rc) return "Absent";
  const observed = (rc.status.observedGeneration ?? 0) >= (rc.metadata.generation ?? 1);
  return observed && rc.status.replicas === rc.spec.replicas ? "Settled" : "Progressing";
}

const LIVE = ["UpdateReplicationController", "ScaleReplicationController", "RecordReplicationStatus", "DeleteReplicationController"] as const;
const CHANGES = { ReplicationControllerUpdated: ["Progressing", "Settled"], ReplicationControllerScaled: ["Progressing", "Settled"], ReplicationStatusRecorded: ["Progressing", "Settled"] } as const;

/** The replication controller's lifecycle. */
export const replicationControllerLifecycle: Lifecycle<
  ReplicationControllerState, ReplicationControllerLifecycleState, ReplicationControllerCommand["type"], ReplicationControllerEvent["type"]
> = {
  absent: "Absent",
  phaseOf: replicationControllerPhaseOf,
  states: {
    Absent: { accepts: ["CreateReplicationController"], on: { ReplicationControllerCreated: ["Progressing", "Settled"] } },
    Progressing: { accepts: LIVE, on: { ...CHANGES, ReplicationControllerDeleted: ["Absent"] } },
    Settled: { accepts: LIVE, on: { ...CHANGES, ReplicationControllerDeleted: ["Absent"] } },
  },
};

/** Builds the replication controller machine (a `now` clock may be given by tests). */
export function createReplicationControllerMachine(now?: () => number) {
  return createLifecycleMachine<ReplicationControllerState>(replicationControllerDecider, replicationControllerLifecycle, now);
}
