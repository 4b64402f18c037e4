import { pino } from "pino";
import { untypedCommand, type CommandType } from "../../nats/commandClient.js";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, refusedReply } from "../../../test/harness/memoryView.js";
import { meta } from "../../../test/harness/deciderSpec.js";
import { pod } from "../../../test/harness/controllerObjects.js";
import { ReplicaSetStatus, DeploymentStatus, deployment as deploymentKind } from "../../api/apps.js";
import type { EntityRef, Resource } from "../../api/kinds.js";
import type { CommandReply } from "../../api/reply.js";
import type { Pod } from "../../api/pod.js";
import type { OutgoingCommand } from "../../nats/commandClient.js";
import { plainObjectDecider, type PlainState } from "../../actors/plainObject/decider.js";
import type { AnyDecider } from "../../actors/decider.js";
import type { ControllerContext } from "../context.js";
import { GarbageCollector } from "../garbageCollector/reconciler.js";
import { replicaSetKind, type ReplicaSet } from "../replicaSet/kind.js";
import { ReplicationReconciler } from "../replication/reconciler.js";
import { DeploymentReconciler } from "./reconciler.js";
import { POD_TEMPLATE_HASH, REVISION } from "./replicaSets.js";

const DECIDERS: Record<"replicasets" | "deployments", AnyDecider> = {
  replicasets: plainObjectDecider({ resource: "replicasets", kind: "ReplicaSet", clusterScoped: false, workload: { status: ReplicaSetStatus } }),
  deployments: plainObjectDecider({ resource: "deployments", kind: "Deployment", clusterScoped: false, workload: { status: DeploymentStatus } }),
};

/** The write side in memory: ReplicaSets and Deployments through their real decider; pods made and removed at once. */
function actors(view: MemoryView) {
  let uid = 0;
  return (ref: EntityRef, command: OutgoingCommand): CommandReply => {
    const ok = (): CommandReply => ({ ok: true, object: null, version: 1, resourceVersion: String(view.appliedSequence), events: [] });
    if (ref.resource === "pods") {
      const data = command.data as { metadata: { labels: Record<string, string>; ownerReferences: unknown } };
      if (command.type === "CreatePod") {
        if (view.get("pods", ref.namespace, ref.name)) return { ok: false, status: { code: 409, reason: "AlreadyExists", message: "exists" } };
        const p = pod(ref.name, { labels: data.metadata.labels, nodeName: "n1" });
        view.put("pods", { ...p, metadata: { ...p.metadata, ownerReferences: data.metadata.ownerReferences } } as Pod);
      } else if (command.type === "DeletePod") view.remove("pods", ref.namespace, ref.name);
      return ok();
    }
    const decider = DECIDERS[ref.resource as keyof typeof DECIDERS];
    const current = view.get<Record<string, unknown>>(ref.resource, ref.namespace, ref.name);
    let state: PlainState = { object: (current?.object ?? null) as PlainState["object"] };
    try {
      const events = decider.decide({ type: command.type, data: command.data, meta: meta({ namespace: ref.namespace, name: ref.name, uid: `uid-${++uid}`, time: `2026-01-01T00:00:${String(uid % 60).padStart(2, "0")}Z` }) }, state);
      for (const e of events) state = decider.evolve(state, { ...e, version: 1, time: "", uid: "", commandId: "", sequence: 1 });
    } catch (err) {
      return { ok: false, status: { code: 409, reason: (err as { reason: string }).reason, message: String(err) } };
    }
    if (state.object === null) view.remove(ref.resource as Resource, ref.namespace, ref.name);
    else view.put(ref.resource as Resource, state.object as never);
    return ok();
  };
}

/** As the actor host does, a repeat of a command's id answered with its first reply, even after a deletion. */
function answeringRepeats(respond: (ref: EntityRef, command: OutgoingCommand) => CommandReply) {
  const answered = new Map<string, CommandReply>();
  return (ref: EntityRef, command: OutgoingCommand): CommandReply => {
    const known = command.id === undefined ? undefined : answered.get(command.id);
    if (known) return known;
    const reply = respond(ref, command);
    if (command.id !== undefined && reply.ok) answered.set(command.id, reply);
    return reply;
  };
}

function cluster() {
  const view = new MemoryView();
  const sender = new RecordingSender(answeringRepeats(actors(view)));
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  const replicaSets = new ReplicationReconciler<ReplicaSet>(ctx, {}, replicaSetKind);
  const collector = new GarbageCollector(ctx);
  view.onChange((c) => { replicaSets.keysOf(c); collector.keysOf(c); }); // their indexes follow the view, as their keyed loops feed them
  const loops = [new DeploymentReconciler(ctx, () => new Date("2026-01-02T00:00:00Z")), replicaSets, collector];
  const round = async () => { for (const l of loops) await l.reconcile(); };
  const setReady = (ready: (p: Pod) => boolean) => {
    for (const e of view.list<Pod>("pods")) {
      const r = ready(e.object);
      if ((e.object.status.conditions?.[0]?.status === "True") !== r) view.put("pods", { ...e.object, status: { ...e.object.status, conditions: [{ type: "Ready", status: r ? "True" : "False" }] } });
    }
  };
  return { view, sender, round, setReady };
}

const manifest = (image: string, replicas = 3, strategy?: unknown) => deploymentKind.codec.parseManifest("v1", {
  metadata: { name: "web" }, spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image }] } }, ...(strategy ? { strategy } : {}) },
}, { namespace: "default", name: "web" });

describe("the deployment controller with the ReplicaSet controller and the garbage collector", () => {
  it("rolls a new template within maxSurge and maxUnavailable at every step, numbering revisions, then collects on delete", async () => {
    const { view, sender, round, setReady } = cluster();
    const send = (type: CommandType<"deployments">, data: unknown) => sender.send({ resource: "deployments", namespace: "default", name: "web" }, untypedCommand({ type, data }));
    expect((await send("CreateDeployment", manifest("nginx:1"))).ok).toBe(true);
    for (let i = 0; i < 5; i++) { await round(); setReady(() => true); }
    const first = view.list<ReplicaSet>("replicasets");
    expect(first).toHaveLength(1);
    expect(first[0]?.object.metadata.annotations?.[REVISION]).toBe("1");
    const deployed = () => view.get<{ metadata: { generation: number; annotations?: Record<string, string> } }>("deployments", "default", "web")?.object.metadata;
    expect(deployed()).toMatchObject({ generation: 1, annotations: { [REVISION]: "1" } }); // its revision, and no new generation for it
    expect(first[0]?.name).toBe(`web-${first[0]?.object.spec.template.metadata.labels?.[POD_TEMPLATE_HASH]}`);
    expect(view.list<Pod>("pods")).toHaveLength(3);
    expect(view.get<{ status: { availableReplicas: number; conditions: { reason: string }[] } }>("deployments", "default", "web")?.object.status)
      .toMatchObject({ availableReplicas: 3, conditions: [{ reason: "MinimumReplicasAvailable" }, { reason: "NewReplicaSetAvailable" }] });

    expect((await send("UpdateDeployment", manifest("nginx:2"))).ok).toBe(true);
    let steps = 0;
    for (; steps < 40; steps++) {
      await round();
      const pods = view.list<Pod>("pods");
      expect(pods.length).toBeLessThanOrEqual(4); // replicas 3 + maxSurge 1 (25 % of 3, rounded up)
      expect(pods.filter((p) => p.object.status.conditions?.[0]?.status === "True").length).toBeGreaterThanOrEqual(3); // maxUnavailable 0
      setReady(() => true);
      const sets = view.list<ReplicaSet>("replicasets");
      if (sets.length === 2 && sets.every((s) => s.object.spec.replicas === (s.object.metadata.annotations?.[REVISION] === "2" ? 3 : 0)) && pods.length === 3) break;
    }
    expect(steps).toBeLessThan(40);
    const images = view.list<Pod>("pods").map((p) => p.object.metadata.labels?.[POD_TEMPLATE_HASH]);
    const newHash = view.list<ReplicaSet>("replicasets").find((s) => s.object.metadata.annotations?.[REVISION] === "2")?.object.spec.template.metadata.labels?.[POD_TEMPLATE_HASH];
    expect(new Set(images)).toEqual(new Set([newHash]));
    expect(deployed()).toMatchObject({ generation: 2, annotations: { [REVISION]: "2" } });

    // Back to the first template: its ReplicaSet is reused and renumbered (what `kubectl rollout undo` relies on).
    await send("UpdateDeployment", manifest("nginx:1"));
    for (let i = 0; i < 40; i++) { await round(); setReady(() => true); }
    const revisions = Object.fromEntries(view.list<ReplicaSet>("replicasets").map((s) => [s.object.spec.template.spec.containers[0]?.image, s.object.metadata.annotations?.[REVISION]]));
    expect(revisions).toEqual({ "nginx:1": "3", "nginx:2": "2" });
    expect(deployed()?.annotations?.[REVISION]).toBe("3");

    await send("DeleteDeployment", {});
    for (let i = 0; i < 3; i++) await round();
    expect(view.list("replicasets")).toHaveLength(0);
    expect(view.list("pods")).toHaveLength(0);
  });

  it("keeps a paused Deployment's revision annotation, and rolls nothing out while it is paused", async () => {
    const { view, sender, round, setReady } = cluster();
    const send = (type: CommandType<"deployments">, data: unknown) => sender.send({ resource: "deployments", namespace: "default", name: "web" }, untypedCommand({ type, data }));
    const paused = (image: string) => { const m = manifest(image) as { spec: object }; return { ...m, spec: { ...m.spec, paused: true } }; };
    await send("CreateDeployment", manifest("nginx:1"));
    for (let i = 0; i < 4; i++) { await round(); setReady(() => true); }
    const revision = () => view.get<{ metadata: { annotations?: Record<string, string> } }>("deployments", "default", "web")?.object.metadata.annotations?.[REVISION];
    expect(revision()).toBe("1");
    await send("UpdateDeployment", paused("nginx:1")); // a replace that states no annotations drops it
    expect(revision()).toBeUndefined();
    await round();
    expect(revision()).toBe("1");
    await send("UpdateDeployment", paused("nginx:2"));
    for (let i = 0; i < 3; i++) await round();
    expect(view.list<ReplicaSet>("replicasets").map((s) => s.object.spec.template.spec.containers[0]?.image)).toEqual(["nginx:1"]);
  });

  it("leaves a Deployment its finalizers hold alone but for its status: no rollout, its ReplicaSets kept until it is gone", async () => {
    const { view, sender, round, setReady } = cluster();
    const send = (type: CommandType<"deployments">, data: unknown) => sender.send({ resource: "deployments", namespace: "default", name: "web" }, untypedCommand({ type, data }));
    const held = (image: string, finalizers: string[]) => { const m = manifest(image); return { ...m, metadata: { ...m.metadata, finalizers } }; };
    await send("CreateDeployment", held("nginx:1", ["example.com/hold"]));
    for (let i = 0; i < 4; i++) { await round(); setReady(() => true); }
    expect(view.list("pods")).toHaveLength(3);
    await send("DeleteDeployment", {});
    expect(view.get<{ metadata: { deletionTimestamp?: string } }>("deployments", "default", "web")?.object.metadata.deletionTimestamp).toBeDefined();
    await send("UpdateDeployment", manifest("nginx:2"));
    for (let i = 0; i < 4; i++) { await round(); setReady(() => true); }
    expect(view.list<ReplicaSet>("replicasets").map((s) => s.object.spec.template.spec.containers[0]?.image)).toEqual(["nginx:1"]);
    expect(view.list("pods")).toHaveLength(3);
    await send("UpdateDeployment", held("nginx:2", []));
    expect(view.get("deployments", "default", "web")).toBeUndefined();
    for (let i = 0; i < 3; i++) await round();
    expect(view.list("replicasets")).toHaveLength(0);
    expect(view.list("pods")).toHaveLength(0);
  });

  it("Recreate stops every old pod before the first new one starts", async () => {
    const { view, sender, round, setReady } = cluster();
    const send = (type: CommandType<"deployments">, data: unknown) => sender.send({ resource: "deployments", namespace: "default", name: "web" }, untypedCommand({ type, data }));
    await send("CreateDeployment", manifest("a", 2, { type: "Recreate" }));
    for (let i = 0; i < 4; i++) { await round(); setReady(() => true); }
    await send("UpdateDeployment", manifest("b", 2, { type: "Recreate" }));
    for (let i = 0; i < 10; i++) {
      await round();
      const images = new Set(view.list<Pod>("pods").map((p) => p.object.metadata.labels?.[POD_TEMPLATE_HASH]));
      expect(images.size).toBeLessThanOrEqual(1);
      setReady(() => true);
    }
    expect(view.list<Pod>("pods")).toHaveLength(2);
  });

  it("maps a change to the Deployments it concerns: its own, its ReplicaSets', a waiting Recreate rollout's pods that stop", async () => {
    const { view, sender } = cluster();
    const deployments = new DeploymentReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) });
    const owned = (name: string, owner?: string) => ({
      kind: "ReplicaSet", metadata: { name, namespace: "default", ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: owner, uid: `uid-${owner}`, controller: true }] } : {}) },
    });
    expect(deployments.keysOf({ resource: "deployments", namespace: "default", name: "web", entry: null })).toEqual(["default/web"]);
    expect(deployments.keysOf({ resource: "replicasets", namespace: "default", name: "web-1", entry: { object: owned("web-1", "web") } as never })).toEqual(["default/web"]);
    expect(deployments.keysOf({ resource: "replicasets", namespace: "default", name: "solo", entry: { object: owned("solo") } as never })).toEqual([]);
    const stopped = { resource: "pods" as const, namespace: "default", name: "p", entry: null };
    expect(deployments.keysOf(stopped)).toEqual([]);
    // A Recreate rollout with an old pod still active waits on pods.
    await sender.send({ resource: "deployments", namespace: "default", name: "web" }, { type: "CreateDeployment", data: manifest("a", 1, { type: "Recreate" }) });
    await deployments.sync("default/web");
    const rs = view.list<ReplicaSet>("replicasets")[0];
    view.put("pods", pod("old", { labels: rs?.object.spec.template.metadata.labels ?? {}, nodeName: "n1" }));
    await sender.send({ resource: "deployments", namespace: "default", name: "web" }, { type: "UpdateDeployment", data: manifest("b", 1, { type: "Recreate" }) });
    await deployments.sync("default/web");
    await deployments.sync("default/web");
    expect(deployments.keysOf({ ...stopped, entry: view.get("pods", "default", "old") as never })).toEqual([]);
    expect(deployments.keysOf(stopped)).toEqual(["default/web"]);
  });
});

describe("the deployment controller's refusals", () => {
  /** The warnings the controller logged while `reason` answered its status of a Deployment. */
  async function warningsWhenStatusIs(reason: string): Promise<string[]> {
    const view = new MemoryView();
    const lines: string[] = [];
    const stored = actors(view);
    const sender = new RecordingSender((ref, command) => (command.type === "RecordDeploymentStatus" ? refusedReply(reason, reason === "NotFound" ? 404 : 503) : stored(ref, command)));
    const deployments = new DeploymentReconciler({ view, sender, now: () => 0, logger: pino({ level: "warn" }, { write: (line: string) => lines.push(line) }) });
    await sender.send({ resource: "deployments", namespace: "default", name: "web" }, { type: "CreateDeployment", data: manifest("a", 1) });
    await deployments.sync("default/web");
    expect(sender.sent.map((s) => s.command.type)).toContain("RecordDeploymentStatus");
    return lines;
  }

  it("logs no warning when the Deployment whose status it records is gone (NotFound), and one for another refusal", async () => {
    expect(await warningsWhenStatusIs("NotFound")).toEqual([]);
    expect(await warningsWhenStatusIs("Unavailable")).toHaveLength(1);
  });

  it("makes the ReplicaSet of its template again when it was deleted, past the create the host answers from history", async () => {
    const { view, sender, round, setReady } = cluster();
    expect((await sender.send({ resource: "deployments", namespace: "default", name: "web" }, untypedCommand({ type: "CreateDeployment", data: manifest("nginx:1", 1) }))).ok).toBe(true);
    await round();
    const [rs] = view.list<ReplicaSet>("replicasets");
    expect(rs).toBeDefined();
    view.remove("replicasets", "default", rs!.name); // kubectl delete rs …
    for (let i = 0; i < 3; i++) { await round(); setReady(() => true); }
    expect(view.list<ReplicaSet>("replicasets").map((e) => e.name)).toEqual([rs!.name]);
    const creates = sender.ofType("CreateReplicaSet").map((s) => s.command.id);
    expect(creates).toHaveLength(3);
    expect(creates[2]).toMatch(new RegExp(`^${creates[0]}@\\d+$`));
  });

  it("makes nothing in a namespace being deleted: its teardown's deletion of the ReplicaSet is not undone", async () => {
    const { view, sender, round } = cluster();
    expect((await sender.send({ resource: "deployments", namespace: "default", name: "web" }, untypedCommand({ type: "CreateDeployment", data: manifest("nginx:1", 1) }))).ok).toBe(true);
    await round();
    const [rs] = view.list<ReplicaSet>("replicasets");
    view.put("namespaces", { kind: "Namespace", metadata: { name: "default", uid: "ns" }, spec: {}, status: { phase: "Terminating" } } as never);
    view.remove("replicasets", "default", rs!.name);
    await round();
    expect(sender.ofType("CreateReplicaSet")).toHaveLength(1);
  });
});
