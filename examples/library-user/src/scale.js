// Automation written against Coxswain's library: scale a replication controller and wait until its pods run.
import { watch } from "coxswain/events";

/**
 * Scales `name` to `replicas`, then follows the read model until exactly that many of its pods are Running.
 * @param {import("coxswain/client").Cluster} cluster
 * @param {string} namespace
 * @param {string} name
 * @param {number} replicas
 * @returns {Promise<string[]>} the names of the running pods
 */
export async function scaleAndWait(cluster, namespace, name, replicas) {
  const rcs = cluster.replicationControllers(namespace);
  await rcs.scale(name, replicas);
  const rc = await rcs.get(name);
  const selector = Object.entries(rc.spec.selector).map(([k, v]) => `${k}=${v}`).join(",");
  const running = new Map();
  const w = await watch(cluster, "pods", { namespace, labelSelector: selector });
  try {
    for await (const { type, object } of w) {
      if (type !== "DELETED" && object.status.phase === "Running" && !object.metadata.deletionTimestamp) running.set(object.metadata.name, true);
      else running.delete(object.metadata.name);
      if (running.size === replicas) return [...running.keys()].sort();
    }
  } finally {
    await w.stop();
  }
  throw new Error("the watch ended");
}

/**
 * The pods a recorded log ends with, by phase: a pure summary for dashboards and tests.
 * @param {Record<string, unknown>[]} pods v1 Pod objects
 * @returns {Record<string, number>}
 */
export function podsByPhase(pods) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const pod of pods) {
    const phase = /** @type {{ status: { phase: string } }} */ (pod).status.phase;
    out[phase] = (out[phase] ?? 0) + 1;
  }
  return out;
}
