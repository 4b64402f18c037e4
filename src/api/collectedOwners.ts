/**
 * The kinds whose dependents the garbage collector deletes after them, following the dependents' owner references
 * (src/controllers/garbageCollector): a Deployment's ReplicaSets, a ReplicaSet's, a Job's, a DaemonSet's or a StatefulSet's pods, a CronJob's Jobs.
 * Their dependents cannot be orphaned (`propagationPolicy: Orphan`): they keep the reference that makes them garbage.
 */
import type { Resource } from "./kinds.js";

export const COLLECTED_OWNERS: readonly Resource[] = ["deployments", "replicasets", "jobs", "cronjobs", "daemonsets", "statefulsets"];
