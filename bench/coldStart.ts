/**
 * Figure 5, cold start: how long the API process takes to serve reads (its read model caught up) after a restart
 * over H events of history, without a checkpoint (a fresh projection name: full replay) and with one (the same
 * name again: the checkpoint written when the first process stopped, plus nothing newer).
 *
 * History is made fast but realistic: one namespace and one pod are taken through their life by a real actor host
 * (NamespaceCreated; PodCreated bound to a node, ContainerStarted, two PodStatusReported, and for three pods in
 * four PodDeleted), and those stored envelopes are then copied with new names and uids, published pipelined. So
 * the events are byte-for-byte what the system writes, spread over many namespaces, and a quarter of the pods
 * are still alive at the end: the live objects are a small fraction of the history.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { BenchServer } from "./benchServer.js";
import { startBenchPart, round, type BenchPart } from "./parts.js";
import { EventStore } from "../src/events/eventStore.js";
import { StreamPublisher } from "../src/events/publisher.js";

const PREFIX = "bench";
const PODS_PER_NAMESPACE = 200;

interface Template { subject: string; data: string }

/** Drives one namespace and two pods through an actor host and returns their stored events as templates. */
async function templates(s: BenchServer, nc: NatsConnection): Promise<{ namespace: Template[]; live: Template[]; deleted: Template[] }> {
  const host = await startBenchPart("actors-cold", s.url, PREFIX, ["actors"], "actor host ready");
  try {
    const send = async (subject: string, body: object) => {
      const r = (await nc.request(subject, JSON.stringify({ apiVersion: "v1", ...body }), { timeout: 10_000 })).json() as { ok: boolean };
      if (!r.ok) throw new Error(`template command failed: ${JSON.stringify(r)}`);
    };
    await send(`${PREFIX}.cmd.namespaces._.tmplns`, { type: "CreateNamespace", data: { metadata: { name: "tmplns" } } });
    for (const pod of ["tmplpoda", "tmplpodb"]) {
      const spec = { nodeName: "tmplnode", containers: [{ name: "app", image: "sim", env: [{ name: "COX_SIM_DURATION", value: "forever" }] }] };
      await send(`${PREFIX}.cmd.pods.tmplns.${pod}`, { type: "CreatePod", data: { metadata: { name: pod, labels: { app: "web", tier: "front" } }, spec } });
      const node = `${PREFIX}.node.tmplnode.pods.tmplns.${pod}`;
      await send(node, { type: "ContainerStarted", data: { container: "app" } });
      await send(node, { type: "ReportPodStatus", data: { hostIP: "10.0.0.7", podIP: "10.244.0.7" } });
      await send(node, { type: "ReportPodStatus", data: { message: "probe ok" } });
    }
    await send(`${PREFIX}.cmd.pods.tmplns.tmplpodb`, { type: "DeletePod", data: { gracePeriodSeconds: 0 } });
  } finally {
    await host.stop();
  }
  const store = await EventStore.open(nc, { prefix: PREFIX });
  const out = { namespace: [] as Template[], live: [] as Template[], deleted: [] as Template[] };
  for await (const e of store.replay()) {
    const t = { subject: e.subject, data: JSON.stringify(e.event) };
    if (e.subject.includes(".namespaces.")) out.namespace.push(t);
    else if (e.subject.endsWith(".tmplpoda")) out.live.push(t);
    else if (e.subject.endsWith(".tmplpodb")) out.deleted.push(t);
  }
  return out;
}

/** Publishes at least `events` copies of the templates, pipelined; returns the counts. */
async function fill(nc: NatsConnection, t: Awaited<ReturnType<typeof templates>>, events: number) {
  const publisher = new StreamPublisher(nc);
  const uids = (data: string) => [...new Set(data.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])];
  let pending: Promise<unknown>[] = [];
  let written = 0;
  let pods = 0;
  let live = 0;
  const publish = async (tmpl: Template, from: string[], to: string[]) => {
    let subject = tmpl.subject;
    let data = tmpl.data;
    from.forEach((f, i) => { subject = subject.split(f).join(to[i] as string); data = data.split(f).join(to[i] as string); });
    pending.push(publisher.publish(subject, data));
    written++;
    if (pending.length >= 2_000) { await Promise.all(pending); pending = []; }
  };
  const nsUid = uids(t.namespace.map((x) => x.data).join(""));
  const [podUidA, podUidB] = [uids(t.live.map((x) => x.data).join(""))[0] ?? "", uids(t.deleted.map((x) => x.data).join(""))[0] ?? ""];
  for (let n = 0; written < events; n++) {
    const ns = `ns-${n}`;
    for (const e of t.namespace) await publish(e, ["tmplns", ...nsUid], [ns, ...nsUid.map((u) => fakeUid(u, n))]);
    for (let p = 0; p < PODS_PER_NAMESPACE && written < events; p++, pods++) {
      const alive = p % 4 === 0;
      const tmpl = alive ? t.live : t.deleted;
      const name = `pod-${p}`;
      const uid = fakeUid(alive ? podUidA : podUidB, n * PODS_PER_NAMESPACE + p);
      for (const e of tmpl) await publish(e, ["tmplns", alive ? "tmplpoda" : "tmplpodb", alive ? podUidA : podUidB], [ns, name, uid]);
      if (alive) live++;
    }
  }
  await Promise.all(pending);
  return { events: written, pods, livePods: live };
}

function fakeUid(base: string, i: number): string {
  return `${base.slice(0, 24)}${i.toString(16).padStart(12, "0")}`;
}

/** Starts `coxswain api --name name` and returns the time to its "caught up" line, wall and as the process reports it. */
async function apiStart(s: BenchServer, name: string): Promise<{ part: BenchPart; wallMs: number; reportedMs: number; startedFrom: number }> {
  const t0 = performance.now();
  const part = await startBenchPart(`api-${name}`, s.url, PREFIX, ["api", "--http", "0", "--name", name, "--checkpoint-every", "1000000000"], "read model caught up");
  const wallMs = performance.now() - t0;
  const m = /caught up at \d+ in (\d+) ms \(from checkpoint (\d+)\)/.exec(part.proc.output());
  return { part, wallMs: round(wallMs, 0), reportedMs: Number(m?.[1] ?? NaN), startedFrom: Number(m?.[2] ?? NaN) };
}

/** One history size on its own server: fill, start without a checkpoint, stop (which checkpoints), start again. */
export async function measureColdStart(s: BenchServer, events: number) {
  const nc = await s.connect();
  const t = await templates(s, nc);
  const f0 = performance.now();
  const filled = await fill(nc, t, events);
  const fillSeconds = (performance.now() - f0) / 1000;
  const name = `cold-${events}`;
  const cold = await apiStart(s, name);
  await cold.part.stop();
  const warm = await apiStart(s, name);
  await warm.part.stop();
  return {
    history: filled.events, pods: filled.pods, livePods: filled.livePods, fillSeconds: round(fillSeconds, 1),
    withoutCheckpoint: { wallMs: cold.wallMs, readModelMs: cold.reportedMs, eventsPerSec: Math.round(filled.events / (cold.reportedMs / 1000)) },
    withCheckpoint: { wallMs: warm.wallMs, readModelMs: warm.reportedMs, startedFrom: warm.startedFrom },
  };
}
