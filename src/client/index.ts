/**
 * `coxswain/client`: typed commands to a Coxswain cluster.
 *
 * ```ts
 * const cluster = await connectCluster();
 * await cluster.pods("default").create({ metadata: { name: "web" }, spec: { containers: [{ name: "web", image: "nginx" }] } });
 * await cluster.replicationControllers("default").scale("web", 5);
 * ```
 * @module client
 */
export { connectCluster, clusterOn, type Cluster, type ClusterBase, type ConnectOptions, type KindAccessors, type AccessorName } from "./cluster.js";
export type { KindClient, KindClientBase } from "./kindClient.js";
export type { CommandResult, SendOptions, CommandMethods, MethodName, ManifestMethod, DataMethod, DataArgs, ShortData } from "./commandMethods.js";
export { CoxswainStatusError, type StatusReason, type StatusDetails, type StatusCause } from "./statusError.js";
export { newCommandId, type RetryPolicy } from "./transport.js";
export type {
  KindName, CommandOf, CommandType, CommandData, CommandInput, EventOf, EventType, InternalOf, ObjectOf, KindOf, ManifestOf, KindEvent,
} from "./types.js";
export type { CommandChannel } from "../events/subjects.js";
