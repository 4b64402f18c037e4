/**
 * `coxswain/testing`: recorded logs in your tests, with no server.
 *
 * ```ts
 * const log = await loadLog("cluster.jsonl");             // from `coxctl events export`
 * const { items } = await replay(log);                     // the read model the log ends in
 * const states = await replayThroughActors(log);           // every entity's state, through the real deciders
 * given(log).when({ kind: "replicationcontrollers", name: "web", type: "ScaleReplicationController", data: { replicas: -1 } })
 *   .thenRejected("Invalid");
 * ```
 * @module testing
 */
export { loadLog, replay, replayThroughActors, prefixOfLog, type LogSource, type StoredEvent, type EventEnvelope, type ReplayedEntity, type ReplayedModel } from "./log.js";
export { given, type Given, type When, type GivenCommand, type DecidedEventOf, type ExpectedEvent } from "./given.js";
export { CoxswainStatusError, type StatusReason } from "../client/statusError.js";
export type { KindName, CommandType, CommandInput, EventType, ObjectOf } from "../client/types.js";
