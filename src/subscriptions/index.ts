/**
 * `coxswain/events`: following a cluster from your code.
 *
 * ```ts
 * for await (const e of subscribe(cluster, { kind: "pods", namespace: "default", from: 1 })) {
 *   if (e.type === "PodBound") console.log(e.name, e.data.nodeName, e.sequence);
 * }
 * const w = await watch(cluster, "pods", { labelSelector: "app=web" });
 * for await (const { type, object } of w) console.log(type, object.metadata.name);
 * ```
 * @module events
 */
export { subscribe, type SubscribeOptions } from "./subscribe.js";
export { watch, type WatchEvent, type KindWatch, type WatchOptions } from "./watch.js";
export type { KindEvent, KindName, EventOf, EventType, ObjectOf } from "../client/types.js";
