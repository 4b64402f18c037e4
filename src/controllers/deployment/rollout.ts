/**
 * What a Deployment wants done in one sync, as Kubernetes' deployment controller decides it: RollingUpdate keeps at
 * most replicas + maxSurge pods and at least replicas - maxUnavailable available ones while the new ReplicaSet grows
 * and the old ones shrink (oldest first, unhealthy pods first); Recreate empties the old ReplicaSets, waits until
 * their pods are gone, then fills the new one. Pure: the counts come in, the scale actions go out.
 */
import { scaledValue } from "../../api/apps.js";

/** A ReplicaSet as the planner sees it (old ones in any order: the planner sorts them oldest first). */
export interface RolloutReplicaSet {
  name: string;
  replicas: number;
  availableReplicas: number;
  /** Creation order key (RFC 3339 time, then name, as Kubernetes sorts). */
  creationTimestamp: string;
}

/** A percentage (`"25%"`) or an absolute number, as in Kubernetes' intstr. */
export type IntOrPercent = number | string;

/** The Deployment's strategy. */
export type DeploymentStrategy =
  | { type: "RollingUpdate"; rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } }
  | { type: "Recreate" };

/** One sync's inputs. `oldPodsActive` counts pods of old ReplicaSets not yet terminated (Recreate waits on it). */
export interface RolloutInput {
  replicas: number;
  strategy: DeploymentStrategy;
  newRS: RolloutReplicaSet | undefined;
  oldRSs: readonly RolloutReplicaSet[];
  oldPodsActive?: number;
}

/** What to do: create the new ReplicaSet with a size, or scale one that exists. */
export type RolloutAction = { type: "CreateNewReplicaSet"; replicas: number } | { type: "Scale"; name: string; replicas: number };

function resolve(value: IntOrPercent | undefined, fallback: string, total: number, roundUp: boolean): number {
  return scaledValue(value ?? fallback, total, roundUp);
}

/** maxSurge (rounded up) and maxUnavailable (rounded down); both 0 would stall, so unavailable becomes 1. Pure. */
export function fenceposts(replicas: number, strategy: DeploymentStrategy): { maxSurge: number; maxUnavailable: number } {
  const ru = strategy.type === "RollingUpdate" ? strategy.rollingUpdate : undefined;
  const maxSurge = resolve(ru?.maxSurge, "25%", replicas, true);
  const maxUnavailable = resolve(ru?.maxUnavailable, "25%", replicas, false);
  return maxSurge === 0 && maxUnavailable === 0 ? { maxSurge, maxUnavailable: 1 } : { maxSurge, maxUnavailable };
}

const sum = (rss: readonly RolloutReplicaSet[], f: (r: RolloutReplicaSet) => number) => rss.reduce((n, r) => n + f(r), 0);
const oldestFirst = (rss: readonly RolloutReplicaSet[]) =>
  [...rss].sort((a, b) => a.creationTimestamp.localeCompare(b.creationTimestamp) || a.name.localeCompare(b.name));

/** The size the new ReplicaSet may have now (Kubernetes' NewRSNewReplicas). Pure. */
export function newReplicaSetSize(input: RolloutInput): number {
  if (input.strategy.type === "Recreate") return input.replicas;
  const current = input.newRS?.replicas ?? 0;
  if (current >= input.replicas) return input.replicas;
  const { maxSurge } = fenceposts(input.replicas, input.strategy);
  const all = sum(input.oldRSs, (r) => r.replicas) + current;
  const room = Math.max(0, input.replicas + maxSurge - all);
  return current + Math.min(room, input.replicas - current);
}

function scaleDownOld(input: RolloutInput, newRS: RolloutReplicaSet): RolloutAction[] {
  const { maxUnavailable } = fenceposts(input.replicas, input.strategy);
  const minAvailable = input.replicas - maxUnavailable;
  const all = [...input.oldRSs, newRS];
  let budget = sum(all, (r) => r.replicas) - minAvailable - (newRS.replicas - newRS.availableReplicas);
  if (budget <= 0) return [];
  const sizes = new Map(input.oldRSs.map((r) => [r.name, r.replicas]));
  for (const rs of oldestFirst(input.oldRSs)) {
    const unhealthy = Math.min(budget, rs.replicas - rs.availableReplicas);
    if (unhealthy > 0) { sizes.set(rs.name, rs.replicas - unhealthy); budget -= unhealthy; }
  }
  let surplus = sum(all, (r) => r.availableReplicas) - minAvailable;
  for (const rs of oldestFirst(input.oldRSs)) {
    if (surplus <= 0) break;
    const size = sizes.get(rs.name) ?? 0;
    const cut = Math.min(size, surplus);
    sizes.set(rs.name, size - cut);
    surplus -= cut;
  }
  return input.oldRSs.filter((r) => sizes.get(r.name) !== r.replicas).map((r) => ({ type: "Scale", name: r.name, replicas: sizes.get(r.name) ?? 0 }));
}

function recreate(input: RolloutInput): RolloutAction[] {
  const live = input.oldRSs.filter((r) => r.replicas > 0);
  if (live.length > 0) return live.map((r) => ({ type: "Scale", name: r.name, replicas: 0 }));
  if ((input.oldPodsActive ?? 0) > 0) return [];
  if (!input.newRS) return [{ type: "CreateNewReplicaSet", replicas: input.replicas }];
  return input.newRS.replicas === input.replicas ? [] : [{ type: "Scale", name: input.newRS.name, replicas: input.replicas }];
}

/** The actions of one sync. An empty list: nothing to do until counts change. Pure. */
export function planRollout(input: RolloutInput): RolloutAction[] {
  if (input.strategy.type === "Recreate") return recreate(input);
  if (!input.newRS) return [{ type: "CreateNewReplicaSet", replicas: newReplicaSetSize(input) }];
  const size = newReplicaSetSize(input);
  if (size !== input.newRS.replicas) return [{ type: "Scale", name: input.newRS.name, replicas: size }];
  return scaleDownOld(input, input.newRS);
}
