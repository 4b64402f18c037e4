/**
 * One node's agent: registers the node, then keeps its runtime in line with the pods the view shows bound to it
 * and reports every runtime change to the pod's actor under a durable id. Informer-style, as the kubelet's pod
 * workers: a change of a pod in the view, or of its records in the runtime, queues that pod's uid (once, however
 * many changes arrive before it is planned) and only the queued pods are planned (`planPodUid`); the whole node is
 * planned (`planNode`) at start and at each resync, the safety net that also stops the containers of pods no longer
 * bound and reports lost ones (resync.ts: once a minute). Heartbeats are written by the shared loop of heartbeat.ts;
 * the agent itself holds a timer only for what the clock alone changes: a failed pull's next step, and the end of the
 * first held image's TTL.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Pod } from "../api/pod.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { ClusterView, ViewChange } from "../projections/clusterView.js";
import type { NodeRegistration } from "./nodeManifest.js";
import { planNode, planPodUid, type NodeAction, type PlanFacts } from "./reconcile.js";
import { ReportQueue } from "./reports.js";
import { containerKey, isLive, type ContainerLaunch, type ContainerRecord, type ContainerRuntime, type PreparedLaunch } from "./runtime.js";
import { allContainers, type Container } from "../api/podSpec.js";
import { normalizeImageRef } from "../api/image.js";
import type { Backoff } from "./backoff.js";
import { CONFIG_RETRY_BACKOFF, KUBELET_PULL_BACKOFF, pullFailed, pullWakeups, type PullFailure } from "./imagePulls.js";
import { simulatedVariables, type SourceLookup } from "./inCluster.js";
import { mountProblem } from "./volumes.js";
import { collectImages, DEFAULT_IMAGE_TTL_MS, firstImageExpiryMs, imageList } from "./nodeImages.js";

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
  prepare?: (pod: Pod, container: Container, dir: string) => PreparedLaunch | { pullError: string } | { configError: string };
  /** The back-off of failed image pulls; default the kubelet's (10 s doubling to 300 s). */
  pullBackoff?: Backoff;
  /** An image no container of the node has used for this long leaves `status.images`; default one hour. */
  imageTtlMs?: number;
  /** How long a clean stop waits for the last reports; default 5000. */
  stopReportTimeoutMs?: number;
}

/** Where the view has a pod. */
interface PodPlace {
  namespace: string;
  name: string;
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
  /** A whole-node plan is due. */
  private resyncDue = false;
  /**
   * Pod uids to plan, each with what the last change said of it: the pod as the view now shows it bound here, or
   * where the view had it (gone, or now another pod); undefined: a runtime change, the records say where.
   */
  private readonly queued = new Map<string, Pod | PodPlace | undefined>();
  /** The uid of each pod the view shows bound here, by `<namespace>/<name>`. */
  private readonly bound = new Map<string, string>();
  private state: "running" | "stopping" | "stopped" = "running";
  private readonly offRuntime: () => void;
  private markRegistered!: () => void;
  private readonly pulls = new Map<string, PullFailure>();
  /** The wake-ups of each failed pull (pullWakeups), by container key. */
  private readonly pullTimers = new Map<string, ReturnType<typeof setTimeout>[]>();
  private images = new Map<string, number>();
  /** The whole-node plan at which the first held image may be collected. */
  private imageTimer: ReturnType<typeof setTimeout> | undefined;
  private reportedImages = "[]";

  constructor(private readonly opts: NodeAgentOptions) {
    this.name = opts.name;
    this.reports = new ReportQueue(opts.sender, opts.logger);
    this.hostIP = opts.registration.status.addresses.find((a) => a.type === "InternalIP")?.address;
    this.registered = new Promise((resolve) => (this.markRegistered = resolve));
    this.offRuntime = opts.runtime.onChange((podUid) => this.queue(podUid));
    void this.register();
    this.resync();
  }

  /** The runtime this agent drives. */
  get runtime(): ContainerRuntime {
    return this.opts.runtime;
  }

  /** Plans the whole node against the view now and carries the plan out. Synchronous; reports go out in the background. */
  reconcile(): void {
    if (this.state === "stopped") return;
    this.queued.clear();
    const entries = this.opts.view.podsOnNode<Pod>(this.name);
    this.bound.clear();
    for (const e of entries) this.bound.set(`${e.namespace}/${e.name}`, e.object.metadata.uid);
    const pods = entries.map((e) => e.object);
    const facts = this.facts();
    const uids = new Set(pods.map((p) => p.metadata.uid));
    this.forgetPulls((uid) => !uids.has(uid));
    this.keepImages(pods, facts.nowMs);
    for (const action of planNode({ ...facts, pods, containers: this.opts.runtime.containers() })) this.apply(action);
  }

  /** Plans the queued pods now (each alone, against the view and its records) and carries the plans out. */
  reconcileQueued(): void {
    if (this.state === "stopped" || this.queued.size === 0) return;
    const queued = new Map(this.queued);
    this.queued.clear();
    const records = new Map<string, ContainerRecord[]>();
    for (const r of this.opts.runtime.containers()) if (queued.has(r.podUid)) records.set(r.podUid, [...(records.get(r.podUid) ?? []), r]);
    const facts = this.facts();
    for (const [uid, seen] of queued) {
      const own = records.get(uid) ?? [];
      const pod = this.boundPod(uid, seen ?? own[0]);
      if (!pod) this.forgetPulls((u) => u === uid);
      for (const action of planPodUid(uid, pod, own, facts)) this.apply(action);
    }
    if (this.opts.prepare) this.keepImages(this.opts.view.podsOnNode<Pod>(this.name).map((e) => e.object), facts.nowMs);
  }

  /** Plans the whole node soon (at start, and at each resync), once, however many asks arrive meanwhile. */
  resync(): void {
    this.resyncDue = true;
    this.wake();
  }

  /** Takes one change of the view: a pod bound here (or that was) is queued to be planned soon. */
  offer(change: ViewChange): void {
    if (change.resource !== "pods" || this.state === "stopped") return;
    const key = `${change.namespace}/${change.name}`;
    const pod = change.entry?.object as Pod | undefined;
    const uid = pod?.spec.nodeName === this.name ? pod.metadata.uid : undefined;
    const before = this.bound.get(key);
    // A pod gone from the view, or replaced by another of the same name: its containers stop.
    if (before !== undefined && before !== uid) {
      this.bound.delete(key);
      this.queue(before, { namespace: change.namespace, name: change.name });
    }
    if (uid === undefined || !pod) return;
    this.bound.set(key, uid);
    this.queue(uid, pod);
  }

  /** Queues pod `uid` to be planned soon (once, however often it is queued meanwhile), with what a change says of it. */
  private queue(uid: string, seen?: Pod | PodPlace): void {
    if (this.state === "stopped") return;
    if (seen || !this.queued.has(uid)) this.queued.set(uid, seen ?? this.queued.get(uid));
    this.wake();
  }

  /** Runs what is due soon, once, however many changes arrive meanwhile. */
  private wake(): void {
    if (this.scheduled || this.state === "stopped") return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.resyncDue) {
        this.resyncDue = false;
        this.reconcile();
      } else this.reconcileQueued();
    });
  }

  /**
   * The pod with `uid` if the view shows it bound here: as the last change brought it (the view's current copy,
   * unrendered again), else looked up where that change or its records place it.
   */
  private boundPod(uid: string, seen: Pod | PodPlace | ContainerRecord | undefined): Pod | undefined {
    if (!seen) return undefined;
    const pod = "metadata" in seen ? seen : this.opts.view.get<Pod>("pods", seen.namespace, "name" in seen ? seen.name : seen.podName)?.object;
    return pod && pod.metadata.uid === uid && pod.spec.nodeName === this.name ? pod : undefined;
  }

  /** What every plan looks at besides pods and records. */
  private facts(): PlanFacts {
    return {
      acked: this.reports.acked, nowMs: Date.now(), pulls: this.pulls,
      ...(this.hostIP === undefined ? {} : { hostIP: this.hostIP }), ...(this.opts.podIP ? { podIP: this.opts.podIP } : {}),
    };
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
    this.forgetPulls(() => true);
    clearTimeout(this.imageTimer);
    this.offRuntime();
    this.reports.close();
    this.markRegistered();
  }

  /**
   * Starts a container, unless its image cannot be pulled or its configuration is missing: then it backs off
   * (imagePulls.ts).
   */
  private start(launch: ContainerLaunch): void {
    const key = containerKey(launch.podUid, launch.container.name);
    const prepared = this.prepared(launch);
    if ("pullError" in prepared || "configError" in prepared) {
      const config = "configError" in prepared;
      const backoff = config ? CONFIG_RETRY_BACKOFF : (this.opts.pullBackoff ?? KUBELET_PULL_BACKOFF);
      const message = config ? prepared.configError : prepared.pullError;
      const place = { namespace: launch.namespace, name: launch.podName };
      this.setPull(key, pullFailed(this.pulls.get(key), launch.attempt, launch.container.image, message, Date.now(), backoff, config), () => this.queue(launch.podUid, place));
      this.queue(launch.podUid, place);
      return;
    }
    this.setPull(key, undefined);
    if (this.opts.prepare) this.images.set(normalizeImageRef(launch.container.image), Date.now());
    this.opts.runtime.start(prepared);
  }

  /** Forgets the pull failures of the pods no longer on the node (those `gone` says of). */
  private forgetPulls(gone: (uid: string) => boolean): void {
    for (const key of [...this.pulls.keys()]) if (gone(key.slice(0, key.indexOf("/")))) this.setPull(key, undefined);
  }

  /**
   * Records a container's failed pull (undefined: none) and replaces its wake-ups: `wake` runs at each moment its plan
   * changes by the clock alone (ImagePullBackOff due, the retry), so no resync is needed to move it on.
   */
  private setPull(key: string, failure: PullFailure | undefined, wake?: () => void): void {
    for (const t of this.pullTimers.get(key) ?? []) clearTimeout(t);
    this.pullTimers.delete(key);
    if (!failure) {
      this.pulls.delete(key);
      return;
    }
    this.pulls.set(key, failure);
    const now = Date.now();
    const timers = pullWakeups(failure).filter((at) => at > now).map((at) => setTimeout(() => wake?.(), at - now + 1));
    for (const t of timers) t.unref?.();
    this.pullTimers.set(key, timers);
  }

  /**
   * Image bookkeeping at each plan: images of live containers count as used now, those unused for the TTL go, and a
   * changed list is reported to the node (ReportNodeImages, idempotent by content).
   */
  private keepImages(pods: readonly Pod[], nowMs: number): void {
    // Only a runtime that resolves images (the process runtime) holds any; a simulated node reports none.
    if (!this.opts.prepare) return;
    const images = new Map(pods.flatMap((p) => allContainers(p.spec).map((c) => [containerKey(p.metadata.uid, c.name), normalizeImageRef(c.image)] as [string, string])));
    const inUse = this.opts.runtime.containers().filter(isLive).map((r) => images.get(containerKey(r.podUid, r.container))).filter((r): r is string => r !== undefined);
    const ttlMs = this.opts.imageTtlMs ?? DEFAULT_IMAGE_TTL_MS;
    this.images = collectImages(this.images, inUse, nowMs, ttlMs);
    clearTimeout(this.imageTimer);
    const expiry = firstImageExpiryMs(this.images, ttlMs);
    if (expiry !== undefined && this.state === "running") (this.imageTimer = setTimeout(() => this.resync(), expiry - nowMs)).unref?.();
    const list = imageList(this.images);
    const text = JSON.stringify(list);
    if (text === this.reportedImages || this.state !== "running") return;
    this.reportedImages = text;
    const id = `images/${this.name}/${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    void this.registered.then(() => this.opts.sender.send({ resource: "nodes", namespace: "_", name: this.name }, { type: "ReportNodeImages", id, data: { images: list } }))
      .then((reply) => { if (!reply.ok) this.reportedImages = "[]"; }, () => { this.reportedImages = "[]"; });
  }

  /** The launch with what `prepare` says of it (the pod as the view shows it now), or why its image cannot be had. */
  private prepared(launch: ContainerLaunch): ContainerLaunch | { pullError: string } | { configError: string } {
    const prepare = this.opts.prepare;
    if (!prepare) {
      // A simulated node runs no process, but reads its settings from ConfigMaps and Secrets, and waits for a missing one
      // (its variables' or its volumes'), as a real node.
      const lookup: SourceLookup = (name, resource) => this.opts.view.get<{ data?: Record<string, string> }>(resource, launch.namespace, name)?.object;
      const volumes = launch.container.volumeMounts?.length ? this.opts.view.get<Pod>("pods", launch.namespace, launch.podName)?.object.spec.volumes : undefined;
      const mounts = mountProblem(volumes, launch.container.volumeMounts, lookup);
      if (mounts) return { configError: mounts };
      const env = simulatedVariables(launch.container, launch.namespace, lookup);
      if (env && "configError" in env) return { configError: String(env.configError) };
      return env ? { ...launch, env } : launch;
    }
    const pod = this.opts.view.get<Pod>("pods", launch.namespace, launch.podName)?.object;
    if (!pod || pod.metadata.uid !== launch.podUid) return launch;
    const dir = this.opts.runtime.dirOf?.(launch.podUid, launch.container.name) ?? "";
    try {
      const prepared = prepare(pod, launch.container, dir);
      return "pullError" in prepared || "configError" in prepared ? prepared : { ...launch, prepared };
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
