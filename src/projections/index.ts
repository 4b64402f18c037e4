/** The read model: projections over COX_EVENTS, checkpoints, and the reads served on NATS and HTTP. */
import type { NatsConnection } from "@nats-io/transport-node";
import type { ActorKinds } from "../actors/registry.js";
import { EventStore } from "../events/eventStore.js";
import { dropUndefined } from "../api/objectMeta.js";
import type { Logger } from "../log.js";
import { CheckpointStore } from "./checkpoint.js";
import type { DerivedProjectionFactory } from "./derived.js";
import { API_DERIVED } from "./derivedKinds.js";
import { startHttpApi, type HttpApi, type HttpRoutes } from "./httpApi.js";
import { createApiMetrics, type ApiMetrics } from "./metrics.js";
import { NatsReads } from "./natsReads.js";
import { ReadService } from "./readService.js";
import { ProjectionRunner } from "./runner.js";

export { ProjectionRunner, type RunnerOptions, type RunnerStats } from "./runner.js";
export { ReadModel, type Change, type RenderedDocument } from "./readModel.js";
export { entityProjection, renderDocument, documentKey, type EntityDocument, type Projection } from "./projection.js";
export { ChangeFeed, startWatch, type WireWatchEvent, type WatchFilter } from "./changeFeed.js";
export { CheckpointStore, CHECKPOINT_BUCKET } from "./checkpoint.js";
export { ReadService, readTarget, ALL_NAMESPACES } from "./readService.js";
export { NatsReads } from "./natsReads.js";
export { startHttpApi, type HttpApi, type HttpRoutes } from "./httpApi.js";
export { createApiMetrics, type ApiMetrics } from "./metrics.js";
export { parseLabelSelector, parseFieldSelector, parseSelector, matchesSelector, type Selector } from "./selectors.js";
export { replay, type ReplayResult } from "./replay.js";
export { API_DERIVED } from "./derivedKinds.js";
export type { DerivedProjection, DerivedProjectionFactory, StreamFact } from "./derived.js";
export { KubeEventFold, EVENTS_KIND, EVENT_SELECTABLE_FIELDS, type EventLimits } from "./kubeEvents/index.js";
export { openPodLog, parsePodLogQuery, whenContainerStops, type PodLogOptions, type PodLogReader } from "./podLogs/index.js";

/** Options of `startApi`. */
export interface StartApiOptions {
  prefix: string;
  /** The projection (and checkpoint) name; processes sharing it share checkpoints. Default `api`. */
  name?: string;
  /** HTTP port (0: a free one); undefined: no HTTP. */
  httpPort?: number;
  /** When the HTTP port is taken, use a free one. */
  httpFallback?: boolean;
  replicas?: number;
  /** false: no checkpoints (always replay from the start). */
  checkpoints?: boolean;
  checkpointEvery?: number;
  checkpointIntervalMs?: number;
  historySize?: number;
  watchIdleMs?: number;
  maxWaitMs?: number;
  stream?: string;
  kinds?: ActorKinds;
  /** Derived kinds; default API_DERIVED (core v1 Events, and those clients write). */
  derived?: readonly DerivedProjectionFactory[];
  logger?: Logger;
  /** Include the process's default metrics in /metrics. */
  defaultMetrics?: boolean;
  /** What the HTTP port serves besides health and metrics (the Kubernetes gateway), made from the read service. */
  httpRoutes?: (service: ReadService, metrics: ApiMetrics) => HttpRoutes;
}

/** A running API process part. */
export interface Api {
  runner: ProjectionRunner;
  service: ReadService;
  nats: NatsReads;
  http: HttpApi | null;
  metrics: ApiMetrics;
  /** Stops serving, ends watches, and writes a last checkpoint. */
  stop(): Promise<void>;
}

/** Starts the projection runner and serves reads on NATS (and HTTP when `httpPort` is set). Reads are served at once; `/readyz` says when caught up. */
export async function startApi(nc: NatsConnection, opts: StartApiOptions): Promise<Api> {
  await EventStore.open(nc, { prefix: opts.prefix, replicas: opts.replicas ?? 1, ...(opts.stream ? { stream: opts.stream } : {}) });
  const checkpoints = opts.checkpoints === false ? null : await CheckpointStore.open(nc, { replicas: opts.replicas ?? 1 });
  const runner = await ProjectionRunner.start(nc, {
    prefix: opts.prefix, name: opts.name ?? "api", checkpoints,
    ...dropUndefined({
      stream: opts.stream, kinds: opts.kinds, derived: opts.derived ?? API_DERIVED, checkpointEvery: opts.checkpointEvery,
      checkpointIntervalMs: opts.checkpointIntervalMs, historySize: opts.historySize, logger: opts.logger,
    }),
  });
  const service = new ReadService(runner, opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {});
  const metrics = createApiMetrics(runner, { defaults: opts.defaultMetrics ?? false });
  const nats = new NatsReads(nc, service, { prefix: opts.prefix, metrics, ...(opts.watchIdleMs !== undefined ? { idleMs: opts.watchIdleMs } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  nats.start();
  const http = opts.httpPort === undefined ? null : await startHttpApi(service, {
    port: opts.httpPort, fallbackToFreePort: opts.httpFallback ?? false, metrics, ...(opts.httpRoutes ? { routes: opts.httpRoutes(service, metrics) } : {}),
  });
  return {
    runner, service, nats, http, metrics,
    async stop() {
      await http?.close();
      await nats.stop();
      await runner.stop();
    },
  };
}


import { RunnerClusterView } from "./runnerView.js";
export { RunnerClusterView };
export type { ClusterView, ViewEntry, ViewChange } from "./clusterView.js";

/** A ClusterView of its own for a process that reads the cluster without serving reads (controllers, node agents). */
export async function startClusterView(
  nc: NatsConnection, opts: { prefix: string; name: string; replicas?: number; logger?: StartApiOptions["logger"] },
): Promise<{ view: RunnerClusterView; runner: ProjectionRunner; stop(): Promise<void> }> {
  await EventStore.open(nc, { prefix: opts.prefix, replicas: opts.replicas ?? 1 });
  const checkpoints = await CheckpointStore.open(nc, { replicas: opts.replicas ?? 1 });
  const runner = await ProjectionRunner.start(nc, { prefix: opts.prefix, name: opts.name, checkpoints, ...(opts.logger ? { logger: opts.logger } : {}) });
  await runner.ready();
  return { view: new RunnerClusterView(runner), runner, stop: () => runner.stop() };
}
