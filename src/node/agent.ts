/**
 * One node's agent: registers the node, then keeps its runtime in line with the pods the view shows bound to it
 * (level-triggered: every change, and a periodic resync, re-plans the whole node with `planNode`) and reports
 * every runtime change to the pod's actor under a durable id. Heartbeats are written by the shared loop of
 * heartbeat.ts; the agent itself holds no timer in steady state.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Pod } from "../api/pod.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { ClusterView } from "../projections/clusterView.js";
import type { NodeRegistration } from "./nodeManifest.js";
import { planNode, type NodeAction } from "./reconcile.js";
import { ReportQueue } from "./reports.js";
import type { ContainerLaunch, ContainerRuntime, PreparedLaunch } from "./runtime.js";
import type { Container } from "../api/podSpec.js";

/** What an agent is made of. */
export interface NodeAgentOptions {
  name: string;
  view: ClusterView;
  sender: CommandSender;
  runtime: ContainerRuntime;
  registration: NodeRegistration;
  logger: Logger;
  /** The IP of a pod (default: the node's InternalIP, as with host networking). */
  podIP?: (pod: Pod) => string | undefined;
  /** Works out what a container runs (image entrypoint, in-cluster access, downward API); process runtime only. */
  prepare?: (pod: Pod, container: Container, dir: string) => PreparedLaunch | { pullError: string };
  /** How long a clean stop waits for the last reports; default 5000. */
  stopReportTimeoutMs?: number;
}

/** The longest wait between two registration attempts. */
const REGISTER_MAX_DELAY_MS = 10_000;

/** A running node agent. */
export class NodeAgent {
  readonly name: string;
  /** Resolves once the node is registered (retried until then, or until the agent stops). */
  readonly registered: Promise<void>;
  readonly reports: ReportQueue;
  private readonly hostIP: string | undefined;
  private scheduled = false;
  private state: "running" | "stopping" | "stopped" = "running";
  private readonly offRuntime: () => void;
  private markRegistered!: () => void;

  constructor(private readonly opts: NodeAgentOptions) {
    this.name = opts.name;
    this.reports = new ReportQueue(opts.sender, opts.logger);
    this.hostIP = opts.registration.status.addresses.find((a) => a.type === "InternalIP")?.address;
    this.registered = new Promise((resolve) => (this.markRegistered = resolve));
    this.offRuntime = opts.runtime.onChange(() => this.schedule());
    void this.register();
    this.schedule();
  }

  /** The runtime this agent drives. */
  get runtime(): ContainerRuntime {
    return this.opts.runtime;
  }

  /** Plans the node against the view now and carries the plan out. Synchronous; reports go out in the background. */
  reconcile(): void {
    if (this.state === "stopped") return;
    const pods = this.opts.view.podsOnNode<Pod>(this.name).map((e) => e.object);
    const actions = planNode({
      pods, containers: this.opts.runtime.containers(), acked: this.reports.acked, nowMs: Date.now(),
      ...(this.hostIP === undefined ? {} : { hostIP: this.hostIP }), ...(this.opts.podIP ? { podIP: this.opts.podIP } : {}),
    });
    for (const action of actions) this.apply(action);
  }

  /** Reconciles soon, once, however many changes arrive meanwhile. */
  schedule(): void {
    if (this.scheduled || this.state === "stopped") return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.reconcile();
    });
  }

  /** A clean stop: no new starts; every container stopped gracefully and its exit reported (bounded wait). */
  async stop(): Promise<void> {
    if (this.state !== "running") return;
    this.state = "stopping";
    await this.opts.runtime.close("stop");
    this.reconcile();
    await this.reports.idle(this.opts.stopReportTimeoutMs ?? 5000);
    this.halt();
  }

  /** Test hook for kill -9: forgets everything in memory and stops, leaving containers (and their files) as they are. */
  crash(): void {
    this.halt();
    void this.opts.runtime.close("abandon");
  }

  private halt(): void {
    this.state = "stopped";
    this.offRuntime();
    this.reports.close();
    this.markRegistered();
  }

  /** The launch with what `prepare` says of it (the pod as the view shows it now). */
  private prepared(launch: ContainerLaunch): ContainerLaunch {
    const prepare = this.opts.prepare;
    const pod = prepare && this.opts.view.get<Pod>("pods", launch.namespace, launch.podName)?.object;
    if (!prepare || !pod || pod.metadata.uid !== launch.podUid) return launch;
    const dir = this.opts.runtime.dirOf?.(launch.podUid, launch.container.name) ?? "";
    try {
      return { ...launch, prepared: prepare(pod, launch.container, dir) };
    } catch (err) {
      this.opts.logger.warn({ err: String(err), pod: launch.podName }, "could not prepare the container's environment");
      return launch;
    }
  }

  private apply(action: NodeAction): void {
    const runtime = this.opts.runtime;
    switch (action.type) {
      case "start":
        if (this.state === "running") runtime.start(this.prepared(action.launch));
        return;
      case "stop":
        runtime.stop(action.podUid, action.container, action.graceMs);
        return;
      case "forget":
        runtime.forget(action.podUid, action.container);
        if (!runtime.containers().some((r) => r.podUid === action.podUid)) this.reports.forgetPod(action.podUid);
        return;
      case "report":
        this.reports.offer(action.podUid, action.reports);
        return;
      default: {
        const never: never = action;
        throw new Error(`unknown action ${JSON.stringify(never)}`);
      }
    }
  }

  private async register(): Promise<void> {
    const data = this.opts.registration;
    const id = `register/${this.name}/${createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, 16)}`;
    for (let delay = 250; this.state === "running"; delay = Math.min(REGISTER_MAX_DELAY_MS, delay * 2)) {
      const reply = await this.opts.sender.send({ resource: "nodes", namespace: "_", name: this.name }, { type: "RegisterNode", id, data });
      if (reply.ok) break;
      this.opts.logger.warn({ node: this.name, status: reply.status }, "node registration failed; retrying");
      await new Promise((r) => setTimeout(r, delay));
    }
    this.markRegistered();
  }
}
