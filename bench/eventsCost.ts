/**
 * What derived Events cost the API's read model, without NATS:
 * `node --expose-gc --import tsx bench/eventsCost.ts [pods] [--runs n]`.
 * The history has figure 5's shape (bench/coldStart.ts): namespaces of 200 pods, each created on a node, started,
 * reported twice, three in four then deleted (three Events per pod, outliving it). Each event goes through JSON as
 * on the wire and is folded into a ReadModel twice, without derived kinds and with the API's (API_DERIVED); the
 * difference, divided by the Events derived, is their cost: fold time, heap after full GCs, checkpoint bytes and the
 * time to write and to load a checkpoint (bytes as CheckpointStore stores them). The best of `runs` (default 2) is
 * kept for the times. Prints one JSON line.
 */
import { ACTOR_KINDS } from "../src/actors/registry.js";
import { decodeCheckpoint, encodeCheckpoint } from "../src/projections/checkpoint.js";
import type { DerivedProjectionFactory } from "../src/projections/derived.js";
import { API_DERIVED } from "../src/projections/derivedKinds.js";
import { ReadModel } from "../src/projections/readModel.js";
import { EventLogBuilder } from "../test/harness/testEvents.js";

const args = process.argv.slice(2);
const pods = Number(args.find((a) => /^\d+$/.test(a)) ?? 20_000);
const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 2;
const PODS_PER_NAMESPACE = 200;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };

/** The history as wire JSON; the builder (and its deciders' states) is garbage once this returns. */
function wireHistory(): string[] {
  const b = new EventLogBuilder(ACTOR_KINDS);
  b.step = 1; // a history of minutes, as the bench's: every Event stays within the 1-hour limit
  for (let p = 0; p < pods; p++) {
    const ns = `ns-${Math.floor(p / PODS_PER_NAMESPACE)}`;
    if (p % PODS_PER_NAMESPACE === 0) b.send("namespaces", "_", ns, "CreateNamespace", { metadata: { name: ns } });
    const name = `pod-${p % PODS_PER_NAMESPACE}`;
    const spec = { nodeName: `node-${p % 100}`, containers: [{ name: "app", image: "sim", env: [{ name: "COX_SIM_DURATION", value: "forever" }] }] };
    b.send("pods", ns, name, "CreatePod", { metadata: { name, labels: { app: "web", tier: "front" } }, spec });
    b.send("pods", ns, name, "ContainerStarted", { container: "app" });
    b.send("pods", ns, name, "ReportPodStatus", { hostIP: "10.0.0.7", podIP: `10.244.${Math.floor(p / 250) % 250}.${p % 250}` });
    b.send("pods", ns, name, "ReportPodStatus", { message: "probe ok" });
    if (p % 4 !== 0) b.send("pods", ns, name, "DeletePod", { gracePeriodSeconds: 0 });
  }
  return b.events.map((e) => JSON.stringify(e));
}

interface Run { foldMs: number; heapBytes: number; documents: Record<string, number>; checkpointBytes: number; encodeMs: number; loadMs: number }

/** Folds the history into a fresh model, then writes a checkpoint of it and loads that into another. */
function measure(wire: readonly string[], derived: readonly DerivedProjectionFactory[]): Run {
  const h0 = heap();
  const t0 = performance.now();
  const model = new ReadModel("cox", ACTOR_KINDS, derived);
  for (const line of wire) model.apply(JSON.parse(line));
  const foldMs = performance.now() - t0;
  const heapBytes = heap() - h0;
  const documents: Record<string, number> = {};
  for (const d of model.documents()) documents[d.resource] = (documents[d.resource] ?? 0) + 1;
  const t1 = performance.now();
  const blob = encodeCheckpoint({ projection: "bench", stream: "COX_EVENTS", streamCreated: "", sequence: model.sequence, documents: model.documents() });
  const encodeMs = performance.now() - t1;
  const t2 = performance.now();
  const cp = decodeCheckpoint(blob);
  if (!cp) throw new Error("the checkpoint did not decode");
  new ReadModel("cox", ACTOR_KINDS, derived).load(cp.sequence, cp.documents);
  const loadMs = performance.now() - t2;
  return { foldMs, heapBytes, documents, checkpointBytes: blob.length, encodeMs, loadMs };
}

function best(a: Run | null, b: Run): Run {
  if (!a) return b;
  return { ...b, foldMs: Math.min(a.foldMs, b.foldMs), encodeMs: Math.min(a.encodeMs, b.encodeMs), loadMs: Math.min(a.loadMs, b.loadMs), heapBytes: Math.min(a.heapBytes, b.heapBytes) };
}

const wire = wireHistory();
let without: Run | null = null;
let withEvents: Run | null = null;
for (let i = 0; i < runs; i++) {
  without = best(without, measure(wire, []));
  withEvents = best(withEvents, measure(wire, API_DERIVED));
}
const w = without as Run;
const e = withEvents as Run;
const n = e.documents.events ?? 0;
const per = (x: number) => (n ? Math.round((x * 100) / n) / 100 : NaN);
process.stdout.write(`${JSON.stringify({
  pods, events: wire.length, kubeEvents: n,
  perEvent: {
    foldUs: per((e.foldMs - w.foldMs) * 1000), heapBytes: per(e.heapBytes - w.heapBytes), checkpointBytes: per(e.checkpointBytes - w.checkpointBytes),
    encodeUs: per((e.encodeMs - w.encodeMs) * 1000), loadUs: per((e.loadMs - w.loadMs) * 1000),
  },
  withoutEvents: round(w), withEvents: round(e),
})}\n`);

function round(r: Run): Run {
  return { ...r, foldMs: Math.round(r.foldMs), encodeMs: Math.round(r.encodeMs), loadMs: Math.round(r.loadMs) };
}
