/**
 * The elected controllers: campaign for the `controllers` lease and, while leading with term T, run the
 * replication manager, the scheduler, the node lifecycle, namespace and quota controllers with every
 * command fenced by T.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { CONTROLLERS_COMPONENT, defaultIdentity, elect, type Elector, type ElectorOptions } from "../election/index.js";

export { CONTROLLERS_COMPONENT };
import { createLogger, type Logger } from "../log.js";
import type { CommandSender } from "../nats/commandClient.js";
import { BatchingCommandSender } from "../nats/commandBatcher.js";
import { Reconnects } from "../events/reconnects.js";
import type { ClusterView } from "../projections/clusterView.js";
import { namespacePodMetrics } from "../projections/resourceMetrics.js";
import { KvHeartbeats, type HeartbeatSource } from "./nodeLifecycle/heartbeats.js";
import { ControllerInformers } from "./informers.js";
import { startTerm, type LoopTunables, type RunningTerm } from "./term.js";


/** How to run the controllers. */
export interface ControllersOptions extends LoopTunables {
  prefix: string;
  view: ClusterView;
  /** `controllers/<hostname>/<pid>` unless given; also the `Cox-Actor` of every command. */
  identity?: string;
  leaseOptions?: ElectorOptions;
  logger?: Logger;
  /** The node heartbeat bucket; default `COX_NODE_LEASES`. */
  nodeLeaseBucket?: string;
  /** Replicas of the buckets this creates (leases, node leases); default 1. */
  replicas?: number;
  /** Replaces the NATS sender (tests). */
  sender?: CommandSender;
  /** Replaces the KV heartbeat watch (tests). */
  heartbeats?: HeartbeatSource;
  /** Replaces the campaign on KV (tests); it is stopped with the controllers. */
  elector?: Elector;
}

/** The running controllers. */
export interface Controllers {
  readonly elector: Elector;
  /** The keys waiting in each work queue of the running term (none while not leading). */
  queueDepths(): Record<string, number>;
  /** Stops the loops, then the elector (which releases the lease for a fast hand-off), then the heartbeat watch. */
  stop(): Promise<void>;
}

/** Starts campaigning at once; the loops run only while this process leads. Does I/O (NATS, KV). */
export function startControllers(nc: NatsConnection, options: ControllersOptions): Controllers {
  const identity = options.identity ?? defaultIdentity(CONTROLLERS_COMPONENT);
  const logger = (options.logger ?? createLogger(CONTROLLERS_COMPONENT)).child({ identity });
  const sender = options.sender ?? BatchingCommandSender.onOwnTree(nc, options.prefix, identity, 10_000, { role: "controller" });
  const kvHeartbeats = options.heartbeats ? null : new KvHeartbeats(nc, { logger, replicas: options.replicas ?? 1, ...(options.nodeLeaseBucket ? { bucket: options.nodeLeaseBucket } : {}) });
  const heartbeats = options.heartbeats ?? (kvHeartbeats as HeartbeatSource);
  const elector = options.elector ?? elect(nc, CONTROLLERS_COMPONENT, identity, { logger, replicas: options.replicas ?? 1, ...options.leaseOptions });
  const podMetrics = (namespace: string) => namespacePodMetrics(nc, options.prefix, namespace);
  // Built once, before the campaign: every term begins on indexes that are there already (informers.ts).
  const informers = new ControllerInformers(options.view, { expectationTtlMs: options.scheduler?.expectationTtlMs });
  const terms = new TermSwitch(elector, (term, stillLeading) =>
    startTerm({ view: options.view, sender, heartbeats, stillLeading, logger, informers, podMetrics }, term, options), logger);
  // (a sender given by a test does not go through `nc`: nothing to wait for there)
  const forget = options.sender ? () => undefined : pokeAtReconnects(nc, terms);
  return {
    elector,
    queueDepths: () => terms.queueDepths(),
    async stop() {
      forget();
      await terms.stop();
      informers.stop();
      await elector.stop();
      await kvHeartbeats?.stop();
    },
  };
}

/** At every reconnect of `nc`, the running term's loops run a round at once rather than at the next change or resync. */
function pokeAtReconnects(nc: NatsConnection, terms: TermSwitch): () => void {
  let forget = Reconnects.of(nc).once(function again() {
    terms.pokeAll();
    forget = Reconnects.of(nc).once(again);
  });
  return () => forget();
}

/** Follows the elector: a term's loops start on `leader` and stop on `lost` (or when a newer term begins). */
class TermSwitch {
  private current: RunningTerm | null = null;
  private stopped = false;
  private readonly off: () => void;

  constructor(
    private readonly elector: Elector,
    private readonly start: (term: number, stillLeading: () => boolean) => RunningTerm,
    private readonly logger: Logger,
  ) {
    this.off = elector.onChange((e) => {
      if (e.type === "leader" && !this.stopped) this.begin(e.term);
      if (e.type === "lost" && this.current) {
        this.logger.warn({ term: this.current.term, reason: e.reason }, "leadership lost: controllers stopped");
        void this.end();
      }
    });
  }

  /** Asks the running term, if any, for a round of every loop. */
  pokeAll(): void {
    this.current?.pokeAll();
  }

  /** The running term's work queue depths ({} while not leading). */
  queueDepths(): Record<string, number> {
    return this.current?.queueDepths() ?? {};
  }

  /** Ends the running term and follows no more changes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.off();
    await this.end();
  }

  private begin(term: number): void {
    void this.end();
    // Checked before every send: the elector's own view (renew deadline included) and this switch must both agree.
    const stillLeading = () => !this.stopped && this.current?.term === term && this.elector.term() === term;
    this.current = this.start(term, stillLeading);
  }

  private end(): Promise<void> {
    const ending = this.current;
    this.current = null;
    return ending ? ending.stop() : Promise.resolve();
  }
}
