/**
 * The ReplicationController decider: pure decide/evolve for creating, updating, scaling and deleting a
 * replication controller, and for the status the replication manager records. `metadata.generation`
 * counts changes of the spec (as in Kubernetes, a change of labels or annotations alone does not bump it).
 */
import { z } from "zod";
import { dropUndefined } from "../../api/objectMeta.js";
import { ReplicaCondition } from "../../api/replicaCondition.js";
import type { ReplicationController, ReplicationControllerManifest, ReplicationControllerStatus } from "../../api/replicationController.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, newObjectMeta, requireAbsent, requireExisting, sameValue, unknownCommand, objectStateView, unknownEvent } from "../decisions.js";

/** State: the replication controller while it exists. */
export interface ReplicationControllerState {
  object: ReplicationController | null;
}

const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");

/** The data of ScaleReplicationController. */
export const ScaleData = z.strictObject({ replicas: Count });
/** The data of RecordReplicationStatus (what the replication manager observed). */
export const ReplicationStatusData = z.strictObject({ replicas: Count, readyReplicas: Count, observedGeneration: Count, conditions: z.array(ReplicaCondition).optional() });

/** Commands a replication controller accepts. */
export type ReplicationControllerCommand =
  | Command<"CreateReplicationController", ReplicationControllerManifest>
  | Command<"UpdateReplicationController", ReplicationControllerManifest>
  | Command<"ScaleReplicationController", z.infer<typeof ScaleData>>
  | Command<"RecordReplicationStatus", z.infer<typeof ReplicationStatusData>>
  | Command<"DeleteReplicationController", DeleteOptions>;

/** What an update replaces, whole. */
export interface ReplicationControllerChange {
  spec: ReplicationController["spec"];
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

/** Events a replication controller records. */
export type ReplicationControllerEvent =
  | RecordedEvent<"ReplicationControllerCreated", { object: ReplicationController }>
  | RecordedEvent<"ReplicationControllerUpdated", ReplicationControllerChange>
  | RecordedEvent<"ReplicationControllerScaled", { replicas: number }>
  | RecordedEvent<"ReplicationStatusRecorded", ReplicationControllerStatus>
  | RecordedEvent<"ReplicationControllerDeleted", Record<string, never>>;

const RESOURCE = "replicationcontrollers";

/** The replication controller decider. Pure. Commands that would change nothing record nothing. */
export const replicationControllerDecider: Decider<ReplicationControllerState, ReplicationControllerCommand, ReplicationControllerEvent> = {
  resource: RESOURCE,
  commands: {
    CreateReplicationController: { schema: z.unknown(), senders: ["user"], manifest: true },
    UpdateReplicationController: { schema: z.unknown(), senders: ["user"], manifest: true },
    ScaleReplicationController: { schema: ScaleData, senders: ["user", "controller"] },
    RecordReplicationStatus: { schema: ReplicationStatusData, senders: ["controller"] },
    DeleteReplicationController: { schema: DeleteOptions, senders: ["user", "controller"] },
  },
  initialState: { object: null },

  decide(command, state) {
    const name = command.meta.name;
    if (command.type === "CreateReplicationController") {
      requireAbsent(state.object, RESOURCE, name);
      const metadata = { ...newObjectMeta(command.data.metadata, command.meta, false), generation: 1 };
      const object: ReplicationController = { kind: "ReplicationController", metadata, spec: command.data.spec, status: { replicas: 0 } };
      return [{ type: "ReplicationControllerCreated", data: { object } }];
    }
    const current = requireExisting(state.object, RESOURCE, name);
    switch (command.type) {
      case "UpdateReplicationController": {
        const { labels, annotations } = command.data.metadata;
        const change = dropUndefined({ spec: command.data.spec, labels, annotations });
        const before = dropUndefined({ spec: current.spec, labels: current.metadata.labels, annotations: current.metadata.annotations });
        return sameValue(change, before) ? [] : [{ type: "ReplicationControllerUpdated", data: change }];
      }
      case "ScaleReplicationController":
        if (command.data.replicas === current.spec.replicas) return [];
        return [{ type: "ReplicationControllerScaled", data: { replicas: command.data.replicas } }];
      case "RecordReplicationStatus":
        if (sameValue(command.data, current.status)) return [];
        return [{ type: "ReplicationStatusRecorded", data: command.data }];
      case "DeleteReplicationController":
        return [{ type: "ReplicationControllerDeleted", data: {} }];
      default:
        throw unknownCommand(command);
    }
  },

  evolve(state, event) {
    if (event.type === "ReplicationControllerCreated") return { object: event.data.object };
    const rc = state.object;
    if (!rc) return state;
    switch (event.type) {
      case "ReplicationControllerUpdated": {
        const { spec, labels, annotations } = event.data;
        const metadata = dropUndefined({ ...rc.metadata, labels, annotations, generation: nextGeneration(rc, spec) });
        return { object: { ...rc, metadata, spec } };
      }
      case "ReplicationControllerScaled": {
        const spec = { ...rc.spec, replicas: event.data.replicas };
        return { object: { ...rc, metadata: { ...rc.metadata, generation: nextGeneration(rc, spec) }, spec } };
      }
      case "ReplicationStatusRecorded":
        return { object: { ...rc, status: event.data } };
      case "ReplicationControllerDeleted":
        return { object: null };
      default:
        return unknownEvent(event, state);
    }
  },

  ...objectStateView(),
};

/** The generation after the spec becomes `spec`: one more when it changed. */
function nextGeneration(rc: ReplicationController, spec: ReplicationController["spec"]): number {
  const generation = rc.metadata.generation ?? 1;
  return sameValue(rc.spec, spec) ? generation : generation + 1;
}
