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
import { containerKey, isLive, type ContainerLaunch, type ContainerRuntime, type PreparedLaunch } from "./runtime.js";
import type { Container } from "../api/podSpec.js";
import { normalizeImageRef } from "../api/image.js";
import { KUBELET_PULL_BACKOFF, pullFailed, type PullBackoff, type PullFailure } from "./imagePulls.js";
import { collectImages, DEFAULT_IMAGE_TTL_MS, imageList } from "./nodeImages.js";

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
  /** The back-off of failed image pulls; default the kubelet's (10 s doubling to 300 s). */
  pullBackoff?: PullBackoff;
  /** An image no container of the node has used for this long leaves `status.images`; default one hour. */
  imageTtlMs?: number;
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
  private readonly pulls = new Map<string, PullFailure>();
  private images = new Map<string, number>();
  private reportedImages = "[]";

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
    const nowMs = Date.now();
    this.keepImages(pods, nowMs);
    const actions = planNode({
      pods, containers: this.opts.runtime.containers(), acked: this.reports.acked, nowMs, pulls: this.pulls,
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

  /** Starts a container, unless its image cannot be pulled: then the pull backs off (imagePulls.ts). */
  private start(launch: ContainerLaunch): void {
    const key = containerKey(launch.podUid, launch.container.name);
    const prepared = this.prepared(launch);
    if ("pullError" in prepared) {
      const backoff = this.opts.pullBackoff ?? KUBELET_PULL_BACKOFF;
      this.pulls.set(key, pullFailed(this.pulls.get(key), launch.attempt, launch.container.image, prepared.pullError, Date.now(), backoff));
      this.schedule();
      return;
    }
    this.pulls.delete(key);
    if (this.opts.prepare) this.images.set(normalizeImageRef(launch.container.image), Date.now());
    this.opts.runtime.start(prepared);
  }

  /**
   * Image bookkeeping at each plan: images of live containers count as used now, those unused for the TTL go, and a
   * changed list is reported to the node (ReportNodeImages, idempotent by content); pull failures of pods no longer
   * on the node are forgotten.
   */
  private keepImages(pods: readonly Pod[], nowMs: number): void {
    const uids = new Set(pods.map((p) => p.metadata.uid));
    for (const key of this.pulls.keys()) if (!uids.has(key.slice(0, key.indexOf("/")))) this.pulls.delete(key);
    // Only a runtime that resolves images (the process runtime) holds any; a simulated node reports none.
    if (!this.opts.prepare) return;
    const images = new Map(pods.flatMap((p) => p.spec.containers.map((c) => [containerKey(p.metadata.uid, c.name), normalizeImageRef(c.image)] as [string, string])));
    const inUse = this.opts.runtime.containers().filter(isLive).map((r) => images.get(containerKey(r.podUid, r.container))).filter((r): r is string => r !== undefined);
    this.images = collectImages(this.images, inUse, nowMs, this.opts.imageTtlMs ?? DEFAULT_IMAGE_TTL_MS);
    const list = imageList(this.images);
    const text = JSON.stringify(list);
    if (text === this.reportedImages || this.state !== "running") return;
    this.reportedImages = text;
    const id = `images/${this.name}/${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    void this.registered.then(() => this.opts.sender.send({ resource: "nodes", namespace: "_", name: this.name }, { type: "ReportNodeImages", id, data: { images: list } }))
      .then((reply) => { if (!reply.ok) this.reportedImages = "[]"; }, () => { this.reportedImages = "[]"; });
  }

  /** The launch with what `prepare` says of it (the pod as the view shows it now), or why its image cannot be had. */
  private prepared(launch: ContainerLaunch): ContainerLaunch | { pullError: string } {
    const prepare = this.opts.prepare;
    const pod = prepare && this.opts.view.get<Pod>("pods", launch.namespace, launch.podName)?.object;
    if (!prepare || !pod || pod.metadata.uid !== launch.podUid) return launch;
    const dir = this.opts.runtime.dirOf?.(launch.podUid, launch.container.name) ?? "";
    try {
      const prepared = prepare(pod, launch.container, dir);
      return "pullError" in prepared ? prepared : { ...launch, prepared };
    } catch (err) {
      this.opts.logger.warn({ err: String(err), pod: launch.podName }, "could not prepare the container's environment");
      return launch;
    }
  }

  private apply(action: NodeAction): void {
    const runtime = this.opts.runtime;
    switch (action.type) {
      case "start":
        if (this.state === "running") this.start(action.launch);
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
