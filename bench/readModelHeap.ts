/**
 * The read model's heap per pod without NATS (run with `node --expose-gc --import tsx bench/readModelHeap.ts [pods]`):
 * the pods of one RC created, bound and started through the pod decider, each event through a JSON round trip as
 * on the wire, folded into a ReadModel (with the derived Events, four per pod here) and a ChangeFeed as the API
 * process does; prints the heap after full GCs, and how many documents of each kind it holds.
 * A quick way to see where the bytes of figure 7 go before running the whole bench; with SNAPSHOT=<file> it also
 * writes a heap snapshot (with the model and the feed held) to read in DevTools.
 */
import { ACTOR_KINDS } from "../src/actors/registry.js";
import { ChangeFeed } from "../src/projections/changeFeed.js";
import { API_DERIVED } from "../src/projections/derivedKinds.js";
import { ReadModel } from "../src/projections/readModel.js";
import { EventLogBuilder } from "../test/harness/testEvents.js";

const pods = Number(process.argv[2] ?? 1_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };

/** The events of `pods` pods as wire JSON; the builder (and its deciders' states) is garbage once this returns. */
function wireEvents(): string[] {
  const b = new EventLogBuilder(ACTOR_KINDS);
  b.step = 2.5; // 400 commands a second, as in a scale-up: times repeat across pods as they do in the bench's cluster
  const owner = { apiVersion: "v1", kind: "ReplicationController", name: "web", uid: "rc-uid", controller: true };
  for (let i = 0; i < pods; i++) {
    const name = `web-${i.toString(36).padStart(5, "0")}`;
    const node = `node-${i % 100}`;
    b.send("pods", "default", name, "CreatePod", {
      metadata: { name, labels: { app: "web" }, ownerReferences: [owner] },
      spec: { containers: [{ name: "app", image: "sim", env: [] }] },
    });
    b.send("pods", "default", name, "BindPod", { nodeName: node, hostIP: `10.0.0.${i % 100}` });
    b.send("pods", "default", name, "ContainerStarted", { container: "app" });
    b.send("pods", "default", name, "ReportPodStatus", { podIP: `10.1.${Math.floor(i / 250)}.${i % 250}` });
  }
  return b.events.map((e) => JSON.stringify(e));
}
const wire = wireEvents();
const before = heap();
const model = new ReadModel("cox", ACTOR_KINDS, API_DERIVED);
const feed = new ChangeFeed(10_000);
for (const line of wire) for (const c of model.apply(JSON.parse(line))) feed.push(c);
const withFeed = heap();
if (process.env.SNAPSHOT) (await import("node:v8")).writeHeapSnapshot(process.env.SNAPSHOT);
feed.reset(model.sequence);
const modelOnly = heap();
const documents: Record<string, number> = {};
for (const d of model.documents()) documents[d.resource] = (documents[d.resource] ?? 0) + 1;
process.stdout.write(`${JSON.stringify({ pods, events: wire.length, documents, bytesPerPod: Math.round((withFeed - before) / pods), withoutFeedHistory: Math.round((modelOnly - before) / pods) })}\n`);
