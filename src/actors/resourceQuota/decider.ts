/**
 * The ResourceQuota decider: pure decide/evolve. Users create, update and delete a quota; the actor host reserves
 * a pod against it before creating the pod (ReserveQuota, refused when the pod does not fit) and releases the pod
 * when it ends or is deleted (ReleaseQuota); the quota controller repairs what a crashed host left (ResyncQuota) and
 * reports the object counts it sees in the read model (QuotaObjectsCounted). `status.used` is the sum of the
 * reservations for what pods use, and those counts for the rest.
 */
import { z } from "zod";
import { ObjectName } from "../../api/names.js";
import { dropUndefined, Timestamp } from "../../api/objectMeta.js";
import { StatusError } from "../../api/status.js";
import { ResourceQuantity } from "../../api/quantity.js";
import { PodQuotaRequests, type QuotaResourceList, type ResourceQuota, type ResourceQuotaManifest } from "../../api/resourceQuota.js";
import type { Command, Decider, RecordedEvent } from "../decider.js";
import { DeleteOptions, newObjectMeta, objectStateView, requireAbsent, requireExisting, sameValue, unknownCommand, unknownEvent } from "../decisions.js";
import { checkFits, reservationKey, usedOf, type QuotaReservation } from "./usage.js";

/**
 * State: the quota while it exists, the pods reserved against it by `reservationKey`, and the object counts its
 * controller last reported (absent in states folded before counts existed).
 */
export interface ResourceQuotaState {
  object: ResourceQuota | null;
  reservations: Record<string, QuotaReservation>;
  counted?: QuotaResourceList;
}

/** The data of ReserveQuota: the pod instance and what it asks for. */
export const ReserveQuotaData = z.strictObject({ pod: ObjectName, uid: z.string().min(1), requests: PodQuotaRequests });
export type ReserveQuotaData = z.infer<typeof ReserveQuotaData>;

/** The data of ReleaseQuota: the pod instance. */
export const ReleaseQuotaData = z.strictObject({ pod: ObjectName, uid: z.string().min(1) });
export type ReleaseQuotaData = z.infer<typeof ReleaseQuotaData>;

/**
 * The data of ResyncQuota: the pods that count as the read model shows them, the age a stray reservation must have,
 * and the object counts the read model shows (`count/configmaps`, `services.nodeports`, …).
 */
export const ResyncQuotaData = z.strictObject({
  pods: z.array(ReserveQuotaData),
  counts: z.record(z.string(), ResourceQuantity).optional(),
  /** Reservations of pods not in `pods` are released only when made at or before this time (RFC 3339). */
  reservedBefore: Timestamp,
});
export type ResyncQuotaData = z.infer<typeof ResyncQuotaData>;

/** Commands a quota accepts. */
export type ResourceQuotaCommand =
  | Command<"CreateResourceQuota", ResourceQuotaManifest>
  | Command<"UpdateResourceQuota", ResourceQuotaManifest>
  | Command<"DeleteResourceQuota", DeleteOptions>
  | Command<"ReserveQuota", ReserveQuotaData>
  | Command<"ReleaseQuota", ReleaseQuotaData>
  | Command<"ResyncQuota", ResyncQuotaData>;

/** What an update replaces, whole. */
export interface ResourceQuotaChange {
  hard: QuotaResourceList;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

/** Events a quota records. */
export type ResourceQuotaEvent =
  | RecordedEvent<"ResourceQuotaCreated", { object: ResourceQuota }>
  | RecordedEvent<"ResourceQuotaUpdated", ResourceQuotaChange>
  | RecordedEvent<"ResourceQuotaDeleted", Record<string, never>>
  | RecordedEvent<"QuotaReserved", ReserveQuotaData>
  | RecordedEvent<"QuotaReleased", ReleaseQuotaData>
  | RecordedEvent<"QuotaObjectsCounted", { counts: QuotaResourceList }>;

const RESOURCE = "resourcequotas";
const INITIAL: ResourceQuotaState = { object: null, reservations: {} };

/**
 * The quota decider. Pure. An update that changes nothing and a repeated reservation record nothing; a release of a
 * pod that holds no reservation is NotFound.
 */
export const resourceQuotaDecider: Decider<ResourceQuotaState, ResourceQuotaCommand, ResourceQuotaEvent> = {
  resource: RESOURCE,
  commands: {
    CreateResourceQuota: { schema: z.unknown(), senders: ["user"], manifest: true },
    UpdateResourceQuota: { schema: z.unknown(), senders: ["user"], manifest: true },
    DeleteResourceQuota: { schema: DeleteOptions, senders: ["user", "controller"] },
    ReserveQuota: { schema: ReserveQuotaData, senders: ["host"] },
    ReleaseQuota: { schema: ReleaseQuotaData, senders: ["host"] },
    ResyncQuota: { schema: ResyncQuotaData, senders: ["controller"] },
  },
  initialState: INITIAL,

  decide(command, state) {
    const name = command.meta.name;
    if (command.type === "CreateResourceQuota") {
      requireAbsent(state.object, RESOURCE, name);
      const { hard } = command.data.spec;
      const object: ResourceQuota = {
        kind: "ResourceQuota", metadata: newObjectMeta(command.data.metadata, command.meta, false), spec: { hard }, status: { hard, used: usedOf(hard, []) },
      };
      return [{ type: "ResourceQuotaCreated", data: { object } }];
    }
    const quota = requireExisting(state.object, RESOURCE, name);
    switch (command.type) {
      case "UpdateResourceQuota": {
        const { labels, annotations } = command.data.metadata;
        const change = dropUndefined({ hard: command.data.spec.hard, labels, annotations });
        const before = dropUndefined({ hard: quota.spec.hard, labels: quota.metadata.labels, annotations: quota.metadata.annotations });
        return sameValue(change, before) ? [] : [{ type: "ResourceQuotaUpdated", data: change }];
      }
      case "DeleteResourceQuota":
        return [{ type: "ResourceQuotaDeleted", data: {} }];
      case "ReserveQuota": {
        const { pod, uid, requests } = command.data;
        if (state.reservations[reservationKey(pod, uid)]) return [];
        checkFits(name, quota.spec.hard, Object.values(state.reservations), requests);
        return [{ type: "QuotaReserved", data: { pod, uid, requests } }];
      }
      case "ReleaseQuota": {
        // A refusal, not a no-op: the host re-decides a refusal on fresh state, and the reservation may be another host's.
        const { pod, uid } = command.data;
        if (!state.reservations[reservationKey(pod, uid)]) {
          throw new StatusError("NotFound", `resourcequotas "${name}" holds no reservation for pod ${pod} (uid ${uid})`, { kind: RESOURCE, name });
        }
        return [{ type: "QuotaReleased", data: { pod, uid } }];
      }
      case "ResyncQuota":
        return [...resync(state.reservations, command.data), ...recount(state.counted ?? {}, command.data.counts)];
      default:
        throw unknownCommand(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "ResourceQuotaCreated":
        return { object: event.data.object, reservations: {} };
      case "ResourceQuotaDeleted":
        return INITIAL;
      case "ResourceQuotaUpdated": {
        if (!state.object) return state;
        const { hard, labels, annotations } = event.data;
        const metadata = dropUndefined({ ...state.object.metadata, labels, annotations });
        return withUsage({ ...state.object, metadata, spec: { hard } }, state.reservations, state.counted);
      }
      case "QuotaReserved": {
        if (!state.object) return state;
        const r = event.data;
        return withUsage(state.object, { ...state.reservations, [reservationKey(r.pod, r.uid)]: { ...r, reservedAt: event.time } }, state.counted);
      }
      case "QuotaReleased": {
        if (!state.object) return state;
        const { [reservationKey(event.data.pod, event.data.uid)]: _released, ...rest } = state.reservations;
        return withUsage(state.object, rest, state.counted);
      }
      case "QuotaObjectsCounted":
        return state.object ? withUsage(state.object, state.reservations, event.data.counts) : state;
      default:
        return unknownEvent(event, state);
    }
  },

  ...objectStateView<ResourceQuota>(),
};

/**
 * Releases the reservations of pods the read model does not show (only those old enough, so that a pod reserved but
 * not created yet keeps its slot) and counts the shown pods that hold none (created before the quota). Pure.
 */
function resync(reservations: Record<string, QuotaReservation>, data: ResyncQuotaData): ReturnType<typeof resourceQuotaDecider.decide> {
  const shown = new Set(data.pods.map((p) => reservationKey(p.pod, p.uid)));
  const cutoff = Date.parse(data.reservedBefore);
  const stray = Object.values(reservations).filter((r) => !shown.has(reservationKey(r.pod, r.uid)) && !(Date.parse(r.reservedAt ?? "") > cutoff));
  const uncounted = data.pods.filter((p) => !reservations[reservationKey(p.pod, p.uid)]);
  // A pod counted for other requests than it asks now (reserved before the quota counted limits, say) is counted anew.
  const recounted = data.pods.filter((p) => {
    const held = reservations[reservationKey(p.pod, p.uid)];
    return held !== undefined && !sameValue(held.requests, p.requests);
  });
  return [
    ...[...stray, ...recounted].map((r) => ({ type: "QuotaReleased" as const, data: { pod: r.pod, uid: r.uid } })),
    ...[...uncounted, ...recounted].map((p) => ({ type: "QuotaReserved" as const, data: p })),
  ];
}

/** QuotaObjectsCounted when the controller's counts differ from those recorded (none sent: nothing). Pure. */
function recount(counted: QuotaResourceList, counts: QuotaResourceList | undefined): ReturnType<typeof resourceQuotaDecider.decide> {
  return counts === undefined || sameValue(counts, counted) ? [] : [{ type: "QuotaObjectsCounted", data: { counts } }];
}

/** The state with `status` recomputed from the spec, the reservations and the object counts. Pure. */
function withUsage(object: ResourceQuota, reservations: Record<string, QuotaReservation>, counted: QuotaResourceList = {}): ResourceQuotaState {
  const { hard } = object.spec;
  return { object: { ...object, status: { hard, used: usedOf(hard, Object.values(reservations), counted) } }, reservations, counted };
}
